return per_occurrence("accidents", 1, "发生安全事故")
