return tiers(data.award, params.points, "获上级表彰")
