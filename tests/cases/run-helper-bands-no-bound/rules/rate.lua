-- 细则“结案率90%以上得60分，其余得30分”：第二档既没写 min 也没写 max
return bands(data.close_rate, {{min = 90, points = 60}, {points = 30}}, "结案率" .. pct(data.close_rate))
