-- Each round makes 32 MB of strings and drops them: 256 MB made in a
-- call, about 24 MB alive at once.  The 64 MB cap is on what is alive:
-- garbage is collected before an allocation fails, within a call and
-- from one unit's call to the next (both units score 10).
for round = 1, 8 do
    local s = "x"
    for _ = 1, 24 do
        s = s .. s
    end
end
return 10, "内存用后即弃"
