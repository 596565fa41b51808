return graded(data.adviser, {dedicated = 30, ["兼管"] = 20}, "法律顾问")
