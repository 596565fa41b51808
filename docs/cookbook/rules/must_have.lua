-- 细则：“未建立法律顾问制度的，不得分”
return binary(data.legal_adviser, "未建立法律顾问制度")
