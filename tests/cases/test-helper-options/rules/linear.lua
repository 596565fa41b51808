return linear(data.r, 60, 100, "满意率")
