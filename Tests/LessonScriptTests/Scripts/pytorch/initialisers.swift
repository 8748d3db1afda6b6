// nn.init's initialisers, module.apply, iterating a Sequential, enumerated() on a DataLoader,
// Bool.random() (issue 13). The bounds and standard deviations are PyTorch's formulas:
//   nn.init.xavier_uniform_(torch.empty(256, 512)) → uniform in ±√(6/768) = ±0.0884, std 0.0510
//   nn.init.kaiming_normal_(torch.empty(128, 64, 3, 3)) → std √(2/576) = 0.0589
//   nn.init.normal_(torch.empty(20000), mean=2, std=0.5)
manualSeed(0)
func spread(_ t: Tensor) -> Double { (t - t.mean()).pow(2).mean().sqrt().item() }
let x = xavierUniform(zeros(256, 512))
print(x.shape, x.abs().max().item() <= 0.0884, String(format: "%.3f", spread(x)))   // expect: [256, 512] true 0.051
let k = kaimingNormal(zeros(128, 64, 3, 3))
print(abs(spread(k) - 0.0589) < 0.0005, abs(k.mean().item()) < 0.001)   // expect: true true
let kOut = kaimingNormal(zeros(16, 256), mode: .fanOut)
print(abs(spread(kOut) - 0.3536) < 0.01)   // expect: true
let n = normal(zeros(20000), mean: 2, std: 0.5)
print(String(format: "%.2f %.2f", n.mean().item(), spread(n)))   // expect: 2.00 0.50
print(String(format: "%.3f", spread(xavierNormal(zeros(300, 300)))))   // expect: 0.058
// --- cell ---
// apply visits every module, children before their parent, as PyTorch's does.
let net = Sequential(Linear(4, 8), ReLU(), Sequential(Linear(8, 8), ReLU()), Linear(8, 2))
var visited: [String] = []
net.apply { m in
    visited.append(m.typeName)
    if let fc = m as? Linear {
        fc.weight = xavierUniform(fc.weight)
        fc.bias = zeros(fc.outFeatures)
    }
}
print(visited)   // expect: ["Linear", "ReLU", "Linear", "ReLU", "Sequential", "Linear", "Sequential"]
print(net[3].bias!.sum().item(), net[3].weight.abs().max().item() <= 0.7746)   // expect: 0.0 true
var names: [String] = []
for layer in net { names.append(layer.typeName) }
print(names)     // expect: ["Linear", "ReLU", "Sequential", "Linear"]
// --- cell ---
let data = TensorDataset(arange(10).float().reshape(10, 1), arange(10))
let loader = DataLoader(data, batchSize: 4)
for (i, (x, y)) in loader.enumerated() {
    print(i, x.shape, y.scalars)
}
// expect: 0 [4, 1] [0, 1, 2, 3]
// expect: 1 [4, 1] [4, 5, 6, 7]
// expect: 2 [2, 1] [8, 9]
manualSeed(1)
var heads = 0
for _ in 0..<1000 where Bool.random() { heads += 1 }
print(heads > 450 && heads < 550)   // expect: true
manualSeed(1)
var again = 0
for _ in 0..<1000 where Bool.random() { again += 1 }
print(again == heads)               // expect: true
print(xavierUniform(zeros(3)))      // error: fewer than 2 dimensions @ 50:7
