-- 公式指标分档：评分细则“持证率=持证执法人员数/核定执法岗位人数×100%，达100%的得4分，95%以上的得3分……”
-- 先按公式计算比率，再按“以上”分档给分（第一个达到的档次）；分母为0时得满分
-- params: num、den = 分子、分母指标；bands = [{min, points}, ...]（由高到低）；what = 比率名称；none = 分母为0的说明
if (data[params.den] or 0) == 0 then return full(params.none) end
local r = ratio(data[params.num], data[params.den])
local what = params.what
if r ~= nil then what = what .. pct(r) end   -- 比率最多两位小数；分子未填报：“（无数据）”，不得分
return bands(r, params.bands, what)
