func f(_ x: Int, _ y: Int) -> Int { x + y }
print(f(1))
// error: missing argument for parameter #2 in call to f(_:_:) @ 2:7
