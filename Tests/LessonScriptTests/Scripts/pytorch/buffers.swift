// Buffers: tensors a Module keeps that are not parameters (issue 13, silently wrong item 3).
// d2l's hand-written batch norm keeps its moving statistics as buffers, so the BN-LeNet has
// PyTorch's 44,878 parameters.
class BatchNormScratch: Module {
    var gamma: Tensor
    var beta: Tensor
    var movingMean: Tensor
    var movingVar = Buffer(ones(1))
    init(_ numFeatures: Int, dims: Int) {
        let shape = dims == 2 ? [1, numFeatures] : [1, numFeatures, 1, 1]
        gamma = ones(shape)
        beta = zeros(shape)
        movingVar = Buffer(ones(shape))
        movingMean = zeros(shape)
        self.registerBuffer("movingMean", zeros(shape))
    }
    func callAsFunction(_ x: Tensor) -> Tensor {
        let axes = x.rank == 2 ? [0] : [0, 2, 3]
        if !self.isTraining {
            return gamma * (x - movingMean) / (movingVar + 1e-5).sqrt() + beta
        }
        let mean = x.mean(dim: axes, keepDim: true)
        let variance = (x - mean).pow(2).mean(dim: axes, keepDim: true)
        movingMean = 0.9 * movingMean + 0.1 * mean.detach()
        movingVar = 0.9 * movingVar + 0.1 * variance.detach()
        return gamma * (x - mean) / (variance + 1e-5).sqrt() + beta
    }
}
let bn = BatchNormScratch(6, dims: 4)
print(bn.parameterCount, bn.namedParameters.map { $0.name }, bn.namedBuffers.map { $0.name })
// expect: 12 ["gamma", "beta"] ["movingMean", "movingVar"]
manualSeed(0)
let x = randn(4, 6, 3, 3) * 2 + 1
let y = bn(x)
print(bn.parameterCount, bn.movingMean.shape, bn.movingMean.requiresGrad)   // expect: 12 [1, 6, 1, 1] false
// PyTorch: sum(p.numel() for p in net.parameters()) == 44878 for d2l's BN-LeNet.
let net = Sequential(
    Conv2d(1, 6, kernelSize: 5), BatchNormScratch(6, dims: 4), Sigmoid(), AvgPool2d(2, stride: 2),
    Conv2d(6, 16, kernelSize: 5), BatchNormScratch(16, dims: 4), Sigmoid(), AvgPool2d(2, stride: 2), Flatten(),
    Linear(16 * 4 * 4, 120), BatchNormScratch(120, dims: 2), Sigmoid(),
    Linear(120, 84), BatchNormScratch(84, dims: 2), Sigmoid(), Linear(84, 10))
print(net.parameterCount, net.parameters.count, net.buffers.count)          // expect: 44878 18 8
// Optimisers do not see buffers, so training leaves them to the layer.
let opt = SGD(net.parameters, lr: 0.1)
crossEntropy(net(randn(2, 1, 28, 28)), tensor([1, 2])).backward()
opt.step()
print(net[1].namedBuffers.map { $0.buffer.requiresGrad })                  // expect: [false, false]
// Built-in batch norm: running statistics are buffers too, as in PyTorch.
let bn2 = BatchNorm2d(3)
print(bn2.parameterCount, bn2.namedBuffers.map { $0.name })                // expect: 6 ["runningMean", "runningVar"]
