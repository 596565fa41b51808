-- 60%得0分、100%得满分、中间按比例
return linear(data.court_rate, 60, 100, "出庭率")
