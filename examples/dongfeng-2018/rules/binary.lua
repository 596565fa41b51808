-- 二元评分：评分细则“未……的，不得分”
-- 如 1.2“未开展公共服务事项梳理和流程简化优化工作的不得分”、3.1“未制定本单位重大决策合法性审查制度的不得分”
-- params: ok = 布尔指标编号（true 为达到要求）；what = 不得分的理由
return binary(data[params.ok] == true, params.what)
