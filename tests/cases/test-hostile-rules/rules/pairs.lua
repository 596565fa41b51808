-- Walks a 2000-key table again and again: pairs is charged for its sort.
local t = {}
for i = 1, 2000 do
    t["k" .. i] = i
end
for _ = 1, 100000 do
    for k in pairs(t) do
        break
    end
end
return 10
