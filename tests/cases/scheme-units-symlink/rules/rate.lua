return rate_steps(data.close_rate, 90, 10, 6, "结案率")
