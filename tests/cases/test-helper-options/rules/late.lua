-- 选项的几种写法：一个数（上限）、Lua 表、把 data 当选项（写错）
local opts = params.cap
if params.as == "table" then opts = {cap = params.cap, unit = "件"} end
if params.as == "list" then opts = {"cap"} end
if params.as == "data" then opts = data end
return per_occurrence(data.late, 1, "迟报", opts)
