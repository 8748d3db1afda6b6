// Engine errors (shapes) come through with the operation's name.
let a = ones(2, 3)
let b = ones(4, 5)
let c = matmul(a, b)
// error: matmul @ 4:9
