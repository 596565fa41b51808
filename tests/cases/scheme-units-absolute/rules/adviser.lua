return graded(data.adviser, {["专门机构"] = 30, ["兼管"] = 20}, "法律顾问")
