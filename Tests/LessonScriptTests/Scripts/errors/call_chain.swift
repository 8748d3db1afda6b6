func inner(_ x: Int) -> Int {
    return x / 0
}
func outer(_ x: Int) -> Int { inner(x) }
print(outer(1))
// error: division by zero @ 2:12
