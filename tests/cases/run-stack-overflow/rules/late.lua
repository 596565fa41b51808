-- Infinite recursion with a budget large enough not to end it: Lua's own
-- stack limit (a million slots) ends the call, within the memory cap.
local function depth(n)
    return 1 + depth(n + 1)
end
return depth(1)
