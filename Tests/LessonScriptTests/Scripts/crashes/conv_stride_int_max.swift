// Regression (#15): stride Int.max with padding overflowed the output-size formula.
let conv = Conv2d(1, 1, kernelSize: 3, stride: Int.max, padding: 1)
print(conv(zeros(1, 1, 5, 5)).shape)
// error: conv2d: stride 9223372036854775807 is too large @ 3:7
