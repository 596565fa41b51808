-- A 900 KB message (300 000 times 长) is cut to about 1 KB, in whole
-- characters, followed by "...".
error(string.rep("长", 300000))
