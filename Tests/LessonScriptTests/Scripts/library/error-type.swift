// A value of the wrong type is named with what was expected.
print("before")   // expect: before
let pool = MaxPool2d(2, stride: "2")
// error: MaxPool2d: argument 'stride' must be an Int or an (h, w) tuple of Ints, got String @ 3:12
