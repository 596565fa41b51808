-- 酌情扣分：评分细则“整改不到位的，由考核组视情节在3分内酌情扣分”
-- 扣分数额和书面理由由考核组作为数据录入（data/fazhiban.yaml），规则只负责记入评分表
-- params: amount = 扣分指标；note = 理由指标（文本）；what = 未写理由时的缺省理由
return discretionary(data[params.amount] or 0, data[params.note] or params.what)
