func f(x: Int) -> Int { x }
print(f(3))
// error: missing argument label 'x:' in call to f(x:) @ 2:7
