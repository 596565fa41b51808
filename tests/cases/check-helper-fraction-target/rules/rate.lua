-- 细则“结案率达90%”，目标误写成小数 0.9
return rate_steps(data.close_rate, 0.9, 10, 6, "结案率")
