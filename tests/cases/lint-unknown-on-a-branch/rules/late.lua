-- misspelt only where a unit was late: a warning, not an error
if data.late_reports > 0 then
  return per_occurrence(data.late_reportz, params.each, "迟报")
end
return item.points
