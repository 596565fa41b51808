return binary(data[params.ok] == true, params.what)
