-- 排名赋分：评分细则“按本组内平均成绩排名，第1至5名依次得3、2.8、2.6、2.4、2.2分，第6至10名得2分，
-- 其余得1.5分；成绩相同的名次并列；未组织参考的不得分”（需要同组全部单位的数据）
-- params: value = 指标编号；points = 按名次的分值表；otherwise = 名次在表外的得分；missing = 无成绩的理由
if data[params.value] == nil then return score(0, params.missing) end
return rank_points(stats(params.value).rank, params.points, params.otherwise)
