-- A 4-line rule that ran about 70 minutes a unit: upper() of 16 MB in a loop.
local s = "x"
for _ = 1, 24 do s = s .. s end
while true do s:upper() end
