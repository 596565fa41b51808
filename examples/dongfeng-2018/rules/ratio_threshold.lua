-- 达标线扣分：评分细则“规范性文件备案率未达100%的扣4分”（备案率=报送备案件数/制发件数×100%）
-- 比率低于达标线即扣固定分值；分母为0（本年度无此类事项）得满分
-- params: num、den = 分子、分母指标；target = 达标线（%）；deduct = 扣分；what = 比率名称；none = 分母为0的说明
if (data[params.den] or 0) == 0 then return full(params.none) end
local r = ratio(data[params.num], data[params.den])
local shown = "（无数据）"                                  -- 分子未填报：按未达标扣分
if r ~= nil then shown = pct(r) end                          -- 比率最多两位小数
local what = params.what .. shown .. "，未达" .. fmt(params.target) .. "%"
return threshold(r, params.target, params.deduct, what)
