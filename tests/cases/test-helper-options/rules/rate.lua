-- 比率写成 {分子, 分母}（指标编号），选项来自方案的 params
return rate_steps(params.counts, 90, 10, 1, "结案率", params.opts)
