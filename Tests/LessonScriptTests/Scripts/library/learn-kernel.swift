// Lesson 1's experiment with the built-in layer: learn the edge kernel [1, -1] from data,
// updating conv.weight by hand (the parameter keeps its identity and gradient).
var X = ones(6, 8)
X[0..., 2..<6] = zeros(6, 4)
let K = tensor([[1.0, -1.0]])
let Y = corr2d(X, K)
manualSeed(0)
let conv = Conv2d(1, 1, kernelSize: (1, 2), bias: false)
let inputs = X.reshape(1, 1, 6, 8)
let targets = Y.reshape(1, 1, 6, 7)
var lastLoss = 0.0
for i in 1...20 {
    let loss = (conv(inputs) - targets).pow(2).sum()
    conv.zeroGrad()
    loss.backward()
    conv.weight -= 0.03 * conv.weight.grad!
    lastLoss = loss.item()
}
let learned = conv.weight.reshape(1, 2)
print(learned.shape, (learned - K).abs().max().item() < 0.05, lastLoss < 0.01)   // expect: [1, 2] true true
print(conv.parameters.count, conv.weight.requiresGrad)                          // expect: 1 true
// A true convolution uses the flipped kernel: on this image it gives the opposite edges.
print(corr2d(X, K.flip(0, 1))[0])     // expect: tensor([ 0., -1.,  0.,  0.,  0.,  1.,  0.])
