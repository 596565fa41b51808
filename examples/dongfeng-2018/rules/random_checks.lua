-- 4.2.2 随机抽查任务完成：评分细则“随机抽查计划完成率达100%，低于此每10个百分点扣1分
-- （不足10个百分点按10个百分点计）；上报情况经核查不实的，从重扣分（扣分加倍），扣完为止”
-- 完成率 = 完成随机抽查次数 / 确定随机抽查次数 × 100%；未确定抽查次数的不得分
-- params: target = 达标线（%）；step = 每档百分点；each = 每档扣分
local planned = data.random_checks_planned or 0
if planned == 0 then return score(0, "未确定随机抽查事项和次数") end
local rate = ratio(data.random_checks_done, planned)
local r = rate_steps(rate, params.target, params.step, params.each, "随机抽查计划完成率")
return doubled(r, data.random_checks_false == true, "上报抽查完成情况经核查不实，扣分加倍")
