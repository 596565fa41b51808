-- 上限写成了文本（应为数值 3）
return per_occurrence(data.late_reports, params.each, "迟报", "3分")
