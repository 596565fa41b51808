-- 迟报一次扣 params.each 分 —— 这里故意写错：扣分乘了2
return per_occurrence(data.late_reports, params.each * 2, "迟报")
