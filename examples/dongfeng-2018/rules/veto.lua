-- 一票否决：评分细则“发生严重违法行政行为，造成恶劣社会影响的，实行一票否决，考核等次确定为不合格”
-- params: flag = 布尔指标编号；what = 否决理由
return veto(data[params.flag] == true, params.what)
