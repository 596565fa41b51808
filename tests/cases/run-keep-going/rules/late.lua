if unit.id == "sfj" then error("数据异常") end return 10
