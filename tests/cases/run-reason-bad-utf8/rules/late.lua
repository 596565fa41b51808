-- A reason in GBK bytes (迟报 copied from a file saved in the old Windows
-- encoding) is not UTF-8 text: the error names the line of the return.
local gbk = "\179\217\177\168"
return 10, {"按时报送", gbk}
