-- 测量词取自指标目录的 unit（篇）
return per_occurrence("articles", 2, "发表理论文章")
