-- 细则：“每漏报一次零报告扣0.3分，最多扣1.2分”（最多扣的分低于本项分值）
return per_occurrence(data.zero_report_missed, 0.3, "漏报零报告", 1.2)
