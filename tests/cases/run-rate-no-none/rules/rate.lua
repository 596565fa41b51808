-- 结案率 = 结案数/立案数，但没有写分母为0时怎么办（none）
return rate_steps({"late_reports", "late_reports"}, 90, 10, 6, "结案率")
