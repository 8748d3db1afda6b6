func f(_ x: Int) {
    guard x > 0 else { print("no") }
}
// error: 'guard' body must not fall through @ 2:5
