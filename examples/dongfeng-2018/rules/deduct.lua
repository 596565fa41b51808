-- 按次扣分：评分细则“迟报一次扣0.5分，漏报一次扣1分”
-- “每漏报一次扣0.3分，累计扣分不超过1.2分”（单项上限低于该项分值），扣完为止
-- params: terms = [{count = 次数指标编号, each = 每次扣分, what = 理由, cap = 该项累计扣分上限（可省）}, ...]
local parts = {}
for _, t in ipairs(params.terms) do
  parts[#parts + 1] = per_occurrence(t.count, t.each, t.what, t.cap)   -- 传指标编号：量词取目录中的 unit（件、卷、条）
end
return combine(table.unpack(parts))
