-- A global set while scoring one unit must not be there for the next:
-- each call gets its own globals.  区司法局 (sfj) is scored first and sets
-- `seen`; 区信访局 (xfj) then reads it, which must be an unknown name.
if unit.id == "sfj" then
    seen = 1
    return 10
end
return 10 - seen
