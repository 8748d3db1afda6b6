let n = 3
n(2)
// error: cannot call value of non-function type 'Int' @ 2:1
