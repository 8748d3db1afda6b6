// PyTorch's positional stride and padding, and Swift labels for every size (issue 13).
// torch: nn.Conv2d(1, 96, 11, 4, 1) → Conv2d(1, 96, kernel_size=(11, 11), stride=(4, 4), padding=(1, 1))
let conv = Conv2d(1, 96, 11, 4, 1)
print(conv)           // expect: Conv2d(1, 96, kernel_size=(11, 11), stride=(4, 4), padding=(1, 1))
let pool = MaxPool2d(3, 2)
print(pool)           // expect: MaxPool2d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)
// torch: nn.MaxPool2d(3, 2)(nn.Conv2d(1, 96, 11, 4, 1)(x)).shape for x of [1, 1, 224, 224] → [1, 96, 26, 26]
print(pool(conv(zeros(1, 1, 224, 224))).shape)   // expect: [1, 96, 26, 26]
print(AvgPool2d(3, 1, 1))   // expect: AvgPool2d(kernel_size=3, stride=1, padding=1)
let labelled = Conv2d(inChannels: 1, outChannels: 6, kernelSize: 5)
print(labelled.inChannels, labelled.outChannels, labelled.kernelSize)   // expect: 1 6 (5, 5)
let stride = Conv2d(3, 8, 3, stride: 2)
print(stride.stride)                                                     // expect: (2, 2)
let twice = Conv2d(3, 8, 3, 2, stride: 2)                               // error: 'stride' given both by position and as 'stride:' @ 14:13
