let xs = [1, 2, 3]
print(xs[3])
// error: index 3 out of range for an array of 3 elements @ 2:7
