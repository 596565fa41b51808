return graded(data[params.value], params.levels, "法律顾问")
