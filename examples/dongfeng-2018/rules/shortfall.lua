-- 未达要求次数扣分：评分细则“全年专题研究法治政府建设工作不少于3次，每少一次扣0.5分”
-- 要求数可以是固定数（required），也可以取另一指标（required_of，如“制发的规范性文件应全部经合法性审查”）
-- params: actual = 实际数指标；required 或 required_of；each = 每少一次扣分；what = 理由；cap = 扣分上限（可省）
local required = params.required or data[params.required_of]
return shortfall(data[params.actual], required, params.each, params.what, params.cap)
