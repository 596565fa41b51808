-- round() 只收数字：给了文字是规则的错误
return round(data.note)
