-- table.move in a loop: each call moves 100 000 elements in C.
local t = {}
for i = 1, 100000 do t[i] = i end
while true do table.move(t, 1, #t, 2) end
