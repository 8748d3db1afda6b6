func f(_ x: Int) -> Int { x }
print(f(1, 2))
// error: extra argument in call to f(_:) @ 2:7
