// PyTorch's training helpers (issue 13). Every expected value is what torch 2.15 (CPU)
// gives for the PyTorch code noted beside it.
manualSeed(0)
let lossFunction = CrossEntropyLoss()
let logits = tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
let labels = tensor([0, 2])
print(lossFunction(logits, labels).item() == crossEntropy(logits, labels).item())   // expect: true
let summed = CrossEntropyLoss(reduction: .sum)
print(summed(logits, labels).item() == crossEntropy(logits, labels, reduction: .sum).item())   // expect: true
print(MSELoss()(tensor([1.0, 2.0]), tensor([3.0, 2.0])).item())                    // expect: 2.0
// --- cell ---
// StepLR(opt, step_size=2, gamma=0.5) from lr 0.1; torch: [s.get_last_lr() after each step()]
let w = Linear(2, 1)
let opt = SGD(w.parameters, lr: 0.1)
let step = StepLR(opt, stepSize: 2, gamma: 0.5)
var rates: [Double] = []
for _ in 0..<6 { step.step(); rates.append(opt.lr) }
print(rates)                                  // expect: [0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]
// CosineAnnealingLR(opt, T_max=4, eta_min=0.001) from lr 0.1 (torch, as float32):
// 0.08550178, 0.0505, 0.015498214, 0.001, 0.015498214, 0.0505
let opt2 = SGD(w.parameters, lr: 0.1)
let cosine = CosineAnnealingLR(opt2, tMax: 4, etaMin: 0.001)
var cosineRates: [Double] = []
for _ in 0..<6 { cosine.step(); cosineRates.append(cosine.lr) }
print(cosineRates)                            // expect: [0.08550178, 0.0505, 0.015498214, 0.001, 0.015498214, 0.0505]
print(cosine.epoch)                           // expect: 6
// --- cell ---
// clip_grad_norm_ with gradients [3, 4] and [12] (norm 13), max_norm 6.5:
// torch returns tensor(13.) and scales by 6.5 / (13 + 1e-6) → [1.4999999, 1.9999999], [5.9999995]
class Pair: Module {
    var w = zeros(2)
    var b = zeros(1)
    func callAsFunction(_ x: Tensor) -> Tensor { x }
}
let pair = Pair()
((pair.w * tensor([3.0, 4.0])).sum() + (pair.b * 12).sum()).backward()
let norm = clipGradNorm(pair.parameters, maxNorm: 6.5)
print(norm.item(), pair.w.grad!.scalars, pair.b.grad!.scalars)   // expect: 13.0 [1.4999998807907104, 1.9999998807907104] [5.999999523162842]
print(clipGradNorm(pair.parameters, maxNorm: 100).item())        // expect: 6.499999523162842
// --- cell ---
// modules() walks the whole tree, as PyTorch's does (the module itself first).
let net = Sequential(Sequential(Conv2d(1, 2, 3), ReLU()), Flatten(), Linear(8, 2))
print(net.modules().map { $0.typeName })      // expect: ["Sequential", "Sequential", "Conv2d", "ReLU", "Flatten", "Linear"]
print(net.namedModules().map { $0.name })     // expect: ["", "0", "0.0", "0.1", "1", "2"]
print(net.to("cpu") === net)                  // expect: true
net.to("cuda")                                // error: runs on the CPU only @ 46:1
