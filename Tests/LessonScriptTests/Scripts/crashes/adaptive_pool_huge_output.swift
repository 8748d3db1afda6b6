// Regression (#15): the window table of adaptive pooling was built before the output was
// allocated, so a huge output size took 34 GB and bypassed the allocation limit.
let x = zeros(1, 1, 4, 4)
print(adaptiveAvgPool2d(x, 2147483648).shape)
// error: allocation: a tensor of shape [1, 1, 2147483648, 2147483648] @ 4:7
