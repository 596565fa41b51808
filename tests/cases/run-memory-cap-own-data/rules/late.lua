-- The cap counts what a call keeps alive beyond the state's own data, so
-- what earlier calls left in the state does not change whether a call
-- fits (it did: the result then depended on --jobs).  sfj's call fills
-- the helpers' memo of number texts (4,096 entries, about 0.3 MB, kept
-- by the state); xfj's call, scored after it in the same state, keeps
-- about 8 MB - 200 KB alive: under the 8 MB cap, whatever ran before.
if unit.id == "sfj" then
    for i = 1, 4096 do
        fmt(i + 0.5)
    end
    return 10, "填满数字文本缓存"
end
local p = string.rep("x", 1 << 19)
local t = {}
for i = 1, 14 do
    t[i] = p .. i
end
t[15] = p:sub(1, 319000)
return 10, "本次调用约占7.8 MB"
