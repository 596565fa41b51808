-- 细则：“行政诉讼败诉的，每起扣1分”（扣分项，不设上限）
-- 方案中这个扣分项不写 points
return per_occurrence(data.lawsuits_lost, 1, "行政诉讼败诉", {unit = "起"})
