-- 细则：“持证率＝持证人数/执法岗位数×100%，达100%的得3分，90%以上的得2分，80%以上的得1分”
-- 没有执法岗位（分母为0）的得满分
if (data.posts or 0) == 0 then return full("未核定执法岗位") end
local r = ratio(data.certified, data.posts)
return bands(r, params.bands, "持证率" .. pct(r))
