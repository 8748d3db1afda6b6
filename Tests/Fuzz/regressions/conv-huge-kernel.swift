let c = Conv2d(1, 6, kernelSize: 8427387904)
