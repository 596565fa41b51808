-- item.points 写成了 item.point
return item.point - data.late_reports * params.each, "迟报扣分"
