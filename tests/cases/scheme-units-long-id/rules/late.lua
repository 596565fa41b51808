return per_occurrence(data.late_reports, params.each, "迟报")
