-- 满分线误写成小数 0.95
return linear(data.adviser == "专门机构" and 100 or 50, 0.6, 0.95, "法律顾问")
