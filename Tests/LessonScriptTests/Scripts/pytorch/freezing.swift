// Freezing a layer: `requiresGrad = false` on a parameter reads back false, the layer gets
// no gradient and optimisers leave it alone (issue 13, silently wrong item 1).
manualSeed(0)
let net = Sequential(Linear(3, 4), ReLU(), Linear(4, 2))
net[0].weight.requiresGrad = false
print(net[0].weight.requiresGrad, net[0].bias!.requiresGrad)    // expect: false true
let frozen = net[0].weight
let opt = SGD(net.parameters, lr: 0.5)
let loss = net(randn(5, 3)).pow(2).sum()
loss.backward()
print(net[0].weight.grad == nil, net[0].bias!.grad != nil)      // expect: true true
opt.step()
print(net[0].weight.allClose(frozen, rtol: 0, atol: 0))                             // expect: true
// --- cell ---
// Freezing every parameter of a layer through the loop variable, as in PyTorch.
for p in net[2].parameters { p.requiresGrad = false }
print(net[2].parameters.map { $0.requiresGrad })                // expect: [false, false]
let last = net[2].weight
opt.zeroGrad()
net(randn(5, 3)).pow(2).sum().backward()
opt.step()
print(net[2].weight.allClose(last, rtol: 0, atol: 0), net[0].bias!.grad != nil)     // expect: true true
// --- cell ---
// Unfreezing makes the parameter trainable again.
net[0].weight.requiresGrad = true
opt.zeroGrad()
net(randn(5, 3)).pow(2).sum().backward()
opt.step()
print(net[0].weight.requiresGrad, net[0].weight.allClose(frozen, rtol: 0, atol: 0))   // expect: true false
// --- cell ---
// Assigning through Sequential's subscript: a parameter, or a whole layer.
net[0].weight = zeros(4, 3)
net[1] = Sigmoid()
print(net[0].weight.sum().item(), net[1].typeName, net[0].weight.requiresGrad)   // expect: 0.0 Sigmoid true
// --- cell ---
// The same on a Module class written in a cell.
class Head: Module {
    var w = randn(2, 2)
    func callAsFunction(_ x: Tensor) -> Tensor { x.matmul(w) }
}
let head = Head()
head.w.requiresGrad = false
print(head.w.requiresGrad, head.parameterCount)                 // expect: false 4
// A plain `let` tensor that is not a parameter still cannot be changed.
let t = ones(2)
t.requiresGrad = true                                           // error: cannot mutate 't' @ 46:1
