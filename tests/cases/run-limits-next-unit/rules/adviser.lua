if unit.id == "sfj" then
    while true do
    end
end
return graded(data.adviser, {["专门机构"] = 30, ["兼管"] = 20}, "法律顾问")
