-- 逐项核查扣分：评分细则“未成立法治政府建设领导小组的扣1分；未制定年度工作计划的扣1分”
-- 每一项未达到要求扣相应分值，扣完为止
-- params: checks = [{ok = 布尔指标编号, deduct = 扣分, what = 理由}, ...]
local parts = {}
for _, c in ipairs(params.checks) do
  parts[#parts + 1] = threshold(data[c.ok] and 1 or 0, 1, c.deduct, c.what)
end
return combine(table.unpack(parts))
