-- 细则：“政务公开满意率60%（含）以下不得分，100%得满分，中间按比例计分”
return linear(data.satisfaction, 60, 100, "政务公开满意率")
