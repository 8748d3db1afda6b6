// Tensor creation, members and autograd through the built-ins.
let x = tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
print(x.dtype, x.shape, x.sum().item(), x.float().mean().item())   // expect: int64 [3, 3] 36 4.0
let k = tensor([[0.0, 1.0], [2.0, 3.0]])
print(corr2d(x.float(), k))
// expect: tensor([[19., 25.],
// expect:         [37., 43.]])
let grid = arange(16.0).reshape(1, 1, 4, 4)
print(maxPool2d(grid, 3, stride: 2, padding: 1).flatten().toArray())           // expect: [5.0, 7.0, 13.0, 15.0]
print(MaxPool2d((2, 4), stride: (2, 3), padding: (1, 2))(grid).flatten().toArray())
// expect: [1.0, 3.0, 9.0, 11.0, 13.0, 15.0]
print(zeros([2, 3]).shape, ones(4).sum().item(), full([2], 0.5), eye(3).sum().item())
// expect: [2, 3] 4.0 tensor([0.5000, 0.5000]) 3.0
manualSeed(42)
let r1 = rand(3)
manualSeed(42)
let r2 = rand(3)
print(r1.allClose(r2), randn(4, 2, 3, 5).shape, randint(5, [2, 2]).dtype)   // expect: true [4, 2, 3, 5] int64
var w = tensor([1.0, -2.0])
w.requiresGrad = true
let y = (w * w).sum() + relu(w).sum()
y.backward()
print(w.grad!, y.item(), w.isLeaf, y.gradFn!)        // expect: tensor([ 3., -4.]) 6.0 true AddBackward0
w.zeroGrad()
print(w.grad == nil, w.detach().requiresGrad)         // expect: true false
let probs = softmax(tensor([[1.0, 2.0, 3.0]]), dim: 1)
print(probs.argmax(dim: 1), String(format: "%.4f", probs.sum().item()))   // expect: tensor([2]) 1.0000
print(stack([k, k], dim: 0).shape, cat([k, k], dim: 0).shape, k.T, matmul(k, eye(2)).allClose(k))
// expect: [2, 2, 2] [4, 2] tensor([[0., 2.],
// expect:         [1., 3.]]) true
