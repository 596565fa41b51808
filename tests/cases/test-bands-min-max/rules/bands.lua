-- 细则：“纠错率为0的得4分；低于5%的得3分；5%至10%（含）的得2分；超过10%的不得分”
-- 低于5%：5%以下而不到5%，先列 5%至10% 这一档（含5%），再列 5%以下
return bands(data.rate, params.bands, "纠错率" .. (data.rate and pct(data.rate) or ""))
