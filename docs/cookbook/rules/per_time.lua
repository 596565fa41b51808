-- 细则：“迟报一次扣0.5分，扣完为止”
-- 扣完为止：扣分最多扣到本项分值，per_occurrence 默认如此
return per_occurrence(data.late_reports, 0.5, "迟报")
