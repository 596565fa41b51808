-- 目标误写成小数 0.8
return proportional({data.late_reports, 10}, 0.8, "按时报送率")
