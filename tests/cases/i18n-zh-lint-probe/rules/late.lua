return per_occurrence(data.late_report, params.each, "迟报")
