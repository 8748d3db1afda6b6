// A tiny classifier trained with SGD on a TensorDataset, through DataLoader and noGrad.
manualSeed(0)
let inputs = cat([randn(32, 2) + 2, randn(32, 2) - 2], dim: 0)
let labels = cat([zeros(32, dtype: .int64), ones(32, dtype: .int64)], dim: 0)
let data = TensorDataset(inputs, labels)
let loader = DataLoader(data, batchSize: 16, shuffle: true)
print(data.count, loader.count, data[0].1, data[63].1)   // expect: 64 4 0 1
let model = Sequential(Linear(2, 8), ReLU(), Linear(8, 2))
let opt = SGD(model.parameters, lr: 0.1, momentum: 0.5)
var epochLosses: [Double] = []
for epoch in 0..<5 {
    var total = 0.0
    for (x, y) in loader {
        opt.zeroGrad()
        let loss = crossEntropy(model(x), y)
        loss.backward()
        opt.step()
        total += loss.item()
    }
    epochLosses.append(total / Double(loader.count))
}
print(epochLosses.last! < epochLosses.first!)              // expect: true
model.eval()
let correct = noGrad { (model(inputs).argmax(dim: 1) == labels).sum().item() }
print(correct >= 60, opt.lr)                                // expect: true 0.1
plot(epochLosses, title: "training loss")                   // expect: [plot: training loss]
table([["epochs", 5], ["accuracy", Double(correct) / 64 > 0.9]], headers: ["what", "value"])
// expect: [table: what, value]
let adam = Adam(model, lr: 0.01)
print(adam)
// expect: Adam (
// expect: Parameter Group 0
// expect:     betas: (0.9, 0.999)
// expect:     eps: 1e-08
// expect:     lr: 0.01
// expect:     weight_decay: 0
// expect: )
