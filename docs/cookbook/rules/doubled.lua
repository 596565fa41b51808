-- 细则：“迟报一次扣1分；上报情况经核查不实的，扣分加倍”
local r = per_occurrence(data.late_reports, 1, "迟报")
return doubled(r, data.verified_false)
