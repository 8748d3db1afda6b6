struct P { var x = 0 }
let p = P()
print(p.y)
// error: value of type 'P' has no member 'y' @ 3:7
