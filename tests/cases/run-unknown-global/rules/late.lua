return per_occurence(data.late_reports, params.each, "迟报")
