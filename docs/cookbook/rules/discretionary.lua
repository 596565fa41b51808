-- 细则：“整改不到位的，由考核组视情节在2分内酌情扣分”
-- 扣分和理由由考核组作为数据录入（spot_deduction、spot_note）
return discretionary(data.spot_deduction, data.spot_note)
