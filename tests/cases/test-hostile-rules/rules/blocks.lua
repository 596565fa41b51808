-- Small tables until the memory cap (8 MB here) ends the call.
local t = {}
while true do
    t[#t + 1] = {}
end
