-- An order function that sorts again: each table.sort calls back into Lua
-- from C, so the nesting uses the C stack, which Lua guards (about 200
-- levels).  The call ends with Lua's error, not a crash of the scoring
-- thread.
local function before(a, b)
    table.sort({3, 2, 1}, before)
    return a < b
end
table.sort({3, 2, 1}, before)
return 10
