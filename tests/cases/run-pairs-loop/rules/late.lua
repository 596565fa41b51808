-- pairs sorts the keys of the table it walks inside one C call, which the
-- instruction count never sees: walking a 2000-key table over and over
-- took a few thousand instructions a second and ended only at the time
-- limit (so whether it passed depended on the machine's speed).  The sort
-- is charged like table.sort's: the budget ends it, the same on every
-- machine.
local t = {}
for i = 1, 2000 do
    t["k" .. i] = i
end
local first = 0
for _ = 1, 100000 do
    for k, v in pairs(t) do
        first = first + v
        break
    end
end
return 10
