-- params 的键写错（方案里是 each）：Lua 的算术遇到 nil
return 10 - data.late_reports * params.eech, "迟报扣分"
