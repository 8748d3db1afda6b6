let f = { (a: Int, b: Int) in a + b }
print(f(1))
// error: closure expects 2 arguments, but 1 was given @ 2:7
