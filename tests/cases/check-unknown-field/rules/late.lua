-- unit.name 写成了 unit.nmae，item.points 写成了 item.point：不论数据如何都出错
if unit.nmae == "区司法局" then return item.points end
return item.point - data.late_reports * params.each, "迟报扣分"
