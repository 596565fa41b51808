-- Sets a global when there are late reports; reads it otherwise.
if data.late_reports > 0 then
    seen = data.late_reports
    return 10
end
return 10 - seen
