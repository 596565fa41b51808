-- Each concatenation copies 16 MB in one VM instruction (no count hook
-- sees it): the time limit ends the call.
local s = "x"
for _ = 1, 24 do s = s .. s end
while true do local t = s .. "y" end
