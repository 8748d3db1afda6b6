// Regression (#14): an array slice closed at Int.max overflowed.
let a = [1, 2, 3]
print(a[0...Int.max])
// error: out of bounds for an array of 3 elements @ 3:7
