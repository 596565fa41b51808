local n = data.late_reports
if n > 0 then
  return 10 - n * params.each, {"-迟报" .. n .. "次", "\t=1+1"}
end
return 10
