-- 分档扣分：低于目标每档扣 each 分；有一个没有用例走到的分支
local v = data.rate
if v == nil then
  return score(0, "无数据")
end

local function steps(short)
  local n = 0
  while short > 0 do
    n = n + 1
    short = short - params.step
  end
  return n
end

if v >= params.target then return full() end
local n = steps(params.target - v)
return per_occurrence(n, params.each, "低于目标")
