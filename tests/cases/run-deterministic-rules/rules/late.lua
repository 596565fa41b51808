-- Rules built to hit what made results change from run to run (issue 9,
-- items 4-6); tests/repro-rules.sh runs this case five times and compares
-- the bytes of the outputs.

-- 4. table.sort with ties: Lua's quicksort picked a random pivot for
-- partitions over 100 elements, so which equal record came first varied.
local recs = {}
for i = 1, 300 do
    recs[i] = {id = i, k = i % 3}
end
table.sort(recs, function(a, b) return a.k < b.k end)
local order = {}
for i = 1, 5 do
    order[i] = recs[i].id
end

-- 5. pairs over boolean keys: false, then true.
local walked = ""
for _, v in pairs({[true] = "是", [false] = "否"}) do
    walked = walked .. v
end

-- 6. text of tables and functions: no memory addresses.
local function helper() end
local texts = {tostring({}), tostring(helper), tostring(print), tostring(data),
               string.format("%s|%s", {}, helper), fmt({})}

return 10 - recs[1].id * 0.5, {
    "最先: " .. table.concat(order, ","),
    "顺序: " .. walked,
    "文字: " .. table.concat(texts, " "),
}
