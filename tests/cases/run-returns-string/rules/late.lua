return "full marks"
