return graded(data[params.value], params.levels, params.what)
