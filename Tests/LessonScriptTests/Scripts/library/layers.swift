// Layers, module members and the rich outputs of a small network.
manualSeed(0)
let net = Sequential(
    Conv2d(1, 6, kernelSize: 5, padding: 2), Sigmoid(), AvgPool2d(2, stride: 2),
    Conv2d(6, 16, kernelSize: 5), Sigmoid(), AvgPool2d(kernelSize: 2, stride: 2),
    Flatten(), Linear(400, 120), Sigmoid(), Linear(120, 84), Sigmoid(), Linear(84, 10))
print(net.parameterCount, net.parameters.count, net.count)          // expect: 61706 10 12
print(net[0])                 // expect: Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
print(net[7].inFeatures, net[7].outFeatures, net[0].padding)      // expect: 400 120 (2, 2)
let out = net(rand(2, 1, 28, 28))
print(out.shape)                                                  // expect: [2, 10]
summary(net, input: [1, 1, 28, 28])                               // expect: [table: Layer, Output Shape, Param #, Mult-Adds]
show(net[0].weight.reshape(6, 5, 5), title: "conv1 kernels")      // expect: [image: conv1 kernels [6, 5, 5]]
let bn = BatchNorm2d(6)
_ = bn(randn(8, 6, 4, 4) + 3)
print(bn.runningMean.mean().item() > 0.2, bn.numBatchesTracked)  // expect: true 1
bn.eval()
print(bn.isTraining, bn)
// expect: false BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
let conv = Conv2d(2, 3, kernelSize: (3, 5), padding: (1, 2), bias: false)
print(conv(zeros(4, 2, 3, 5)).shape, conv.weight.shape, conv.bias == nil)   // expect: [4, 3, 3, 5] [3, 2, 3, 5] true
conv.weight = ones(3, 2, 3, 5)
print(conv.weight.sum().item())                                   // expect: 90.0
let head = Sequential([Flatten(), Linear(10, 2)])
head.append(ReLU())
print(head.count, head[1..<3].count, Dropout(0.5).p)              // expect: 3 2 0.5
