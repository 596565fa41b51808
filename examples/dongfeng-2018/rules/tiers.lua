-- 分级加分：评分细则“获国家级表彰加5分，省级加3分，市级加2分；同一事项获多级表彰的，按最高级别计算一次”
-- 级别取自各级的布尔指标（flags，按列出的顺序，即同一事项在哪几级获认可），或一个枚举指标（level）
-- params: flags = [{level = 级别, ok = 布尔指标}, ...] 或 level = 枚举指标；points = {级别: 加分}；what = 加分事项
local levels = {}
if params.level then levels = data[params.level] else
  for _, f in ipairs(params.flags) do if data[f.ok] then levels[#levels + 1] = f.level end end
end
return tiers(levels, params.points, params.what)
