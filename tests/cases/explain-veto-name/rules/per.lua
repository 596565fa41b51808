return per_occurrence(data[params.count], params.each, params.what)
