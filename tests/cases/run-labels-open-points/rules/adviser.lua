return graded(data.adviser, {dedicated = 30, shared = 20}, "法律顾问")
