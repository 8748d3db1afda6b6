let c = Conv2d(1, 1, kernelSize: 3, stride: Int.max, padding: 1)
print(c(zeros(1, 1, 5, 5)))
