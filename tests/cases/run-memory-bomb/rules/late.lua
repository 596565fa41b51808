local s = "x" for _ = 1, 20 do s = s .. s end
local t = {} while true do t[#t + 1] = s .. #t end
