// Module members and optimisers work on a Module class written in a cell, as on built-in layers.
class Residual: Module {
    let conv1: Conv2d
    let conv2: Conv2d
    var scale = ones(1)
    init(_ channels: Int) {
        conv1 = Conv2d(channels, channels, kernelSize: 3, padding: 1)
        conv2 = Conv2d(channels, channels, kernelSize: 3, padding: 1)
    }
    func callAsFunction(_ x: Tensor) -> Tensor {
        relu(x + scale * conv2(relu(conv1(x))))
    }
}
manualSeed(0)
let block = Residual(4)
let net = Sequential(Conv2d(1, 4, kernelSize: 3, padding: 1), block, AdaptiveAvgPool2d(1), Flatten(), Linear(4, 2))
print(block.parameterCount, block.children.map { $0.name }, block.namedParameters.map { $0.name })
// expect: 297 ["conv1", "conv2"] ["scale", "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"]
print(net.parameterCount, net.parameters.count, net[1].typeName)   // expect: 347 9 Residual
summary(net, input: [1, 1, 8, 8])                                  // expect: [table: Layer, Output Shape, Param #, Mult-Adds]
let opt = Adam(net.parameters, lr: 0.01)
let before = block.scale.item()
let loss = crossEntropy(net(randn(3, 1, 8, 8)), tensor([0, 1, 1]))
opt.zeroGrad()
loss.backward()
opt.step()
print(block.scale.item() != before, block.conv1.weight.grad != nil)   // expect: true true
net.eval()
print(block.isTraining, block.conv2.isTraining)                  // expect: false false
