-- 参训率 = 参训人数 / 在岗人数
if data.staff == 0 then return full("无在岗人员") end
local rate = data.trained * 100 / data.staff
return item.points * rate / 100, "参训率" .. fmt(rate) .. "%"
