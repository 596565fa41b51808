return per_occurrence(data.late_reportz, params.each, "迟报")
