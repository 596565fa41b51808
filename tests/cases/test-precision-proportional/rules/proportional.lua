-- 低于80%的按 10×出庭率/80% 计分
return proportional(data.court_rate, 80, "出庭率")
