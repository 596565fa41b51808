-- 细则：“行政复议纠错率＝被纠错件数/复议案件数×100%，为0的得4分，5%以下的得3分，
-- 10%以下的得2分，超过10%的不得分”；“以下”含本数，写 max（“以上”写 min）
-- 本年度无行政复议案件（分母为0）的得满分
if (data.reconsiderations or 0) == 0 then return full("本年度无行政复议案件") end
local r = ratio(data.corrected, data.reconsiderations)
return bands(r, params.bands, "行政复议纠错率" .. pct(r))
