-- 分档评分：评分细则“设立专门法制工作机构的得5分；由其他机构兼管的得3分；无机构负责的不得分”
-- 按指标的取值（档次）给分，未列出的取值不得分
-- params: value = 枚举指标编号；levels = {取值: 得分}；what = 说明
return graded(data[params.value], params.levels, params.what)
