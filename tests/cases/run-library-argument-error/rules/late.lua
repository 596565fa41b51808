-- 理由里的百分号没有写成 %%：string.format 找第3个值
return 10, string.format("迟报%d次，扣%.1f%分", data.late_reports, 0.5)
