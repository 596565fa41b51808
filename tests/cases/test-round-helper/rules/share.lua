-- 细则：“按 分值×本单位条数/最高条数 计分”：自己算出的分数，理由里写 round(x)，与得分一致
local x = round(item.points * data.n / data.top)
return x, "按比例计分，得" .. fmt(x) .. "分"
