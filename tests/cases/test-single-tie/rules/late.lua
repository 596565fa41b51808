return per_occurrence(data.late_reports, 1, "迟报")
