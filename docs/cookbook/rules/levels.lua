-- 细则：“确定专职人员负责法制工作的得5分；确定兼职人员的得3分；未确定的不得分”
-- 各档分值写在方案的 params 里：levels: {专职: 5, 兼职: 3}
return graded(data.legal_staff, params.levels, "法制工作人员")
