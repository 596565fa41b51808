string.upper = nil return 10
