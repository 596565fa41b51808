-- A NUL byte would cut the reason short in the results.
return 9.5, "迟报1次\0，扣0.5分"
