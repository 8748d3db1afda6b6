import Foundation
import TensorEngine

struct TrainResult: Encodable {
    struct Epoch: Encodable {
        var seconds: Double
        var testAccuracy: Double
    }
    /// Resident memory of the process after training steps 1 and 100 of the first epoch (with
    /// `--memory`): equal figures mean a step allocates nothing that outlives it.
    struct Memory: Encodable {
        var afterStep1MiB: Double
        var afterStep100MiB: Double?
    }
    var model: String
    var epochs: [Epoch]
    var memory: Memory?
}

/// The training run of the engine issue: the seed CNN on the real Fashion-MNIST, normalised
/// by the training set's mean and standard deviation, SGD (lr 0.01, momentum 0.5), batch 64
/// shuffled. An epoch's seconds cover its training pass (and, for the first, loading the
/// data); the test-set evaluation after each epoch is not counted.
struct TrainBenchmark {
    static let mean: Float = 0.2860
    static let std: Float = 0.3530

    var epochs: Int
    var seed: Int
    var root: String
    /// Whether the result carries the resident-memory figures.
    var reportsMemory = false
    /// Stops each epoch after this many steps (profiling); nil runs whole epochs.
    var maxSteps: Int?

    func run() throws -> TrainResult {
        manualSeed(seed)
        let loading = try timed { () throws -> (DataLoader, FashionMNIST) in
            let train = try FashionMNIST(.train, root: root).normalized(mean: [Self.mean], std: [Self.std])
            let test = try FashionMNIST(.test, root: root).normalized(mean: [Self.mean], std: [Self.std])
            return (try DataLoader(train, batchSize: 64, shuffle: true), test)
        }
        let (loader, test) = loading.result
        progress(String(format: "train: loaded Fashion-MNIST in %.2f s", loading.seconds))

        let model = try BenchModels.seedCNN()
        let optimizer = try SGD(parameters: model.parameters, lr: 0.01, momentum: 0.5)
        var results: [TrainResult.Epoch] = []
        var memory: TrainResult.Memory?
        for epoch in 1...max(epochs, 1) {
            model.train()
            let pass = try timed { () throws -> Double in
                var iterator = loader.makeIterator()
                var lossSum = 0.0, batches = 0
                while batches < (maxSteps ?? Int.max), let (x, y) = try iterator.nextBatch() {
                    optimizer.zeroGrad()
                    let loss = try crossEntropy(model(x), y)
                    try loss.backward()
                    try optimizer.step()
                    lossSum += Double(try loss.item())
                    batches += 1
                    if epoch == 1 && (batches == 1 || batches == 100) {
                        let mib = residentMebibytes()
                        progress(String(format: "train: resident memory after step %d: %.1f MiB", batches, mib))
                        if batches == 1 { memory = TrainResult.Memory(afterStep1MiB: rounded(mib, 1)) }
                        else { memory?.afterStep100MiB = rounded(mib, 1) }
                    }
                }
                return lossSum / Double(max(batches, 1))
            }
            let accuracy = try evaluate(model, on: test)
            let seconds = pass.seconds + (epoch == 1 ? loading.seconds : 0)
            progress(String(format: "train: epoch %d  %.2f s  mean loss %.4f  test accuracy %.2f%%",
                            epoch, seconds, pass.result, accuracy * 100))
            results.append(TrainResult.Epoch(seconds: rounded(seconds, 2), testAccuracy: rounded(accuracy, 4)))
        }
        return TrainResult(model: "Conv2d(1,10,5)-MaxPool2d(2)-ReLU-Conv2d(10,20,5)-MaxPool2d(2)-ReLU-Flatten-Linear(320,10)",
                           epochs: results, memory: reportsMemory ? memory : nil)
    }

    /// The process's resident set size in MiB, from /proc (0 where there is none).
    private func residentMebibytes() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return Double(pages * Int(sysconf(Int32(_SC_PAGESIZE)))) / Double(1 << 20)
    }

    /// The fraction of test images whose largest logit is their label.
    private func evaluate(_ model: any Module, on test: FashionMNIST) throws -> Double {
        model.eval()
        defer { model.train() }
        var correct = 0
        try noGrad {
            for (x, y) in try DataLoader(test, batchSize: 1000) {
                let predicted = try model(x).argmax(dim: 1).scalars
                for (p, label) in zip(predicted, y.scalars) where p == label { correct += 1 }
            }
        }
        return Double(correct) / Double(test.count)
    }

    static func table(_ result: TrainResult) -> String {
        var table = TextTable(title: "Training the seed CNN on Fashion-MNIST (SGD lr 0.01 momentum 0.5, batch 64)",
                              headers: ["epoch", "seconds", "test accuracy"])
        for (i, e) in result.epochs.enumerated() {
            table.rows.append(["\(i + 1)", format(e.seconds), format(e.testAccuracy * 100) + "%"])
        }
        var text = table.rendered + "\n(the first epoch includes loading the data; evaluation is not timed)"
        if let memory = result.memory {
            text += "\nresident memory after step 1: " + format(memory.afterStep1MiB, 1) + " MiB"
            if let after100 = memory.afterStep100MiB { text += ", after step 100: " + format(after100, 1) + " MiB" }
        }
        return text
    }
}
