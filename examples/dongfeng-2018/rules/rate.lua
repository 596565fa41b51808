-- 比率达标扣分：评分细则“结案率达90%，低于此每10个百分点扣1分（不足10个百分点按10个百分点计）”
-- 率取百分比指标（rate），或由分子/分母指标计算（num/den，分母为0即无此类事项，得满分）；
-- 扣分理由中的实际比率由 rate_steps 自动写出（如“法律援助案件结案率88.89%，低于90%……”）
-- params: rate 或 num、den、none；target = 达标线（%）；step = 每档百分点；each = 每档扣分；what = 比率名称
local rate = params.rate and data[params.rate]
if params.den then rate = {params.num, params.den} end   -- {分子, 分母}（指标编号）
return rate_steps(rate, params.target, params.step, params.each, params.what, {none = params.none})
