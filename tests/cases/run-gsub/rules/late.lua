local s = ("x"):gsub("x", "y") return 10
