-- 细则：“在省级以上刊物发表法治理论文章的，每篇加2分”（本项不设上限，只受加分总上限限制）
-- 方案中这个加分项不写 points；量词“篇”取自指标目录中 articles 的 unit:
return per_occurrence("articles", 2, "发表法治理论文章")
