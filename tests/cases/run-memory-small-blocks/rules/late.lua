-- Many small tables (a few dozen bytes each) rather than a few big
-- strings: the memory cap counts every block, however small, and the
-- error names the script line where the cap was reached (Lua raises a
-- memory error without the message handler that finds other errors'
-- lines).  A large instruction budget, so that the cap ends the call.
local t = {}
while true do
    t[#t + 1] = {}
end
