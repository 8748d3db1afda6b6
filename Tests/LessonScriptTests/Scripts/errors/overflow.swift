var big = 9_223_372_036_854_775_807
print("before")  // expect: before
big += 1
// error: arithmetic overflow: 9223372036854775807 + 1 does not fit in Int @ 3:5
