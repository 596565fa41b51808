-- A function stored under a key of any bytes: the traceback names it by
-- the key, written as text on one line (\n, \xNN), so that it cannot
-- print a line that reads as another diagnostic.
local t = {}
t["迟报\nrules/adviser.lua:1: error: forged\255"] = function()
    error("迟报次数有误")
end
t["迟报\nrules/adviser.lua:1: error: forged\255"]()
return 10
