func f(x: Int) -> Int { x }
print(f(y: 3))
// error: incorrect argument label in call to f(x:) (have 'y:', expected 'x:') @ 2:7
