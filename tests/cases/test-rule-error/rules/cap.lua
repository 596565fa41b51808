-- 结案率低于目标时按比例扣分；params.cap 写错成了字符串时出错
local short = 90 - data.close_rate
if short <= 0 then return full() end
return per_occurrence(short, 1, "结案率不足", params.cap)
