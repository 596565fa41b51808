-- 细则：“发生严重违法行政行为、造成恶劣社会影响的，实行一票否决”
return veto(data.serious_violation, "发生严重违法行政行为，造成恶劣社会影响")
