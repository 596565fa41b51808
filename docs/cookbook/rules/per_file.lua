-- 细则：“评查不合格的案卷，每卷扣1分，最多扣3分”
-- 量词“卷”：写 unit = "卷"；若把指标编号（字符串）传给 per_occurrence，则取指标目录中该指标的 unit:
return per_occurrence(data.case_files_failed, 1, "评查不合格案卷", {cap = 3, unit = "卷"})
