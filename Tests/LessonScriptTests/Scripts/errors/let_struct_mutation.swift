struct P { var x = 0 }
let p = P()
p.x = 3
// error: cannot mutate 'p': it is a 'let' constant @ 3:1
