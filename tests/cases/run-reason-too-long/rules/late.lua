-- A reason is text for a score sheet: at most 4096 bytes.
return 9.5, ("迟报"):rep(1000)
