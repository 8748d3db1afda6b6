// Learning a 1×2 kernel by gradient descent, written entirely in the language.
func corr2d(_ x: Tensor, _ k: Tensor) -> Tensor {
    let (h, w) = (k.shape[0], k.shape[1])
    var y = zeros(x.shape[0] - h + 1, x.shape[1] - w + 1)
    for i in 0..<y.shape[0] {
        for j in 0..<y.shape[1] {
            y[i, j] = (x[i..<i + h, j..<j + w] * k).sum()
        }
    }
    return y
}
var x = ones(6, 8)
x[0..<6, 2..<6] = zeros(6, 4)
let target = corr2d(x, tensor([[1.0, -1.0]]))
var k = tensor([[0.5, 0.1]])
k.requiresGrad = true
let lr = 3e-2
var losses: [Double] = []
for epoch in 0..<60 {
    let yHat = corr2d(x, k)
    let loss = ((yHat - target) * (yHat - target)).sum()
    loss.backward()
    noGrad {
        k = k - lr * k.grad!
    }
    k.requiresGrad = true
    losses.append(loss.item())
    if epoch == 0 { print("first loss above 1:", loss.item() > 1) }   // expect: first loss above 1: true
}
print("loss decreased:", losses.last! < losses.first! / 100)            // expect: loss decreased: true
let learned = k.detach().flatten().toArray()
print(abs(learned[0] - 1) < 0.05, abs(learned[1] + 1) < 0.05)           // expect: true true
