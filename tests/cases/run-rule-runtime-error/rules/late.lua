local n = data.late_reports
local per = params.missing_param
return item.points - n * per
