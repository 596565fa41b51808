-- 扣分项 减1 年度法治政府建设情况报告：评分细则“未按时报送的扣0.5分；未报送的扣10分”
-- 扣分项的返回值是扣减的分数（不计入100分，从总分中扣减）
-- params: value = 报送情况指标；amounts = {取值: 扣分}
local status = data[params.value]
local amount = params.amounts[status] or 0
if amount == 0 then return 0 end
return amount, "年度法治政府建设情况报告" .. status .. "，扣" .. fmt(amount) .. "分"
