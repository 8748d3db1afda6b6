let n = 3
if n { print(n) }
// error: condition must be a Bool, not 'Int' @ 2:4
