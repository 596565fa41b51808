-- 细则：“按学法考试平均成绩在本组排名，第1至3名依次得3、2.5、2分，其余得1分”
return rank_points(stats("exam_avg").rank, {3, 2.5, 2}, 1)
