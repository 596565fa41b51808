-- A veto applies or not: 0.005 is neither (nor is -1).
if unit.id == "sfj" then
    return 0.005
end
return -1
