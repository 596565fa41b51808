-- A call that ends at the memory cap leaves the state as it found it: with
-- --keep-going the next unit's call (区信访局) runs as if it were first,
-- its 10 points and its 3 MB string within the 16 MB cap.  The calls
-- after an overrun of the instruction budget (1.2 '法律顾问' of 区司法局,
-- rules/adviser.lua here) are not stopped by a hook left armed: 2.1 of
-- 区司法局, and 1.2 of 区信访局 (20 points).
if unit.id == "sfj" then
    local t = {}
    while true do
        t[#t + 1] = {}
    end
end
local s = string.rep("x", 3 * 1024 * 1024)
return 10, "报送" .. #s
