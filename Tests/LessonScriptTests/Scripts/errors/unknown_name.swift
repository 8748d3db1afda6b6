func corr2d(_ x: Int) -> Int { x }
let y = corr2D(3)
// error: unknown name 'corr2D'; did you mean 'corr2d'? @ 2:9
