print("one")     // expect: one
print("two")     // expect: two
let xs: [Int] = []
print(xs[0])
// error: index 0 out of range for an array of 0 elements @ 4:7
