-- 细则：“获国家级表彰加5分，省级加3分，市级加2分；同一事项按最高级别计一次”
return tiers(data.award_level, params.points, "法治建设工作获表彰")
