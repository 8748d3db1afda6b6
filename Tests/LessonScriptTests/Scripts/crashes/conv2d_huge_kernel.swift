// Regression (#14): the fan-in of a huge kernel overflowed before the allocation was refused.
let conv = Conv2d(1, 6, kernelSize: 8427387904)
// error: kaimingUniform: shape [6, 1, 8427387904, 8427387904] has too many elements @ 2:12
