import TensorEngine

struct ModelResult: Encodable {
    var name: String
    var batch: Int
    var inputShape: [Int]
    var forwardMs: Double
}

/// Inference time of the classic networks: evaluation mode, no autograd recording.
struct ModelsBenchmark {
    var runs: Int
    var batchSizes: [Int]

    func run() throws -> [ModelResult] {
        manualSeed(0)
        var results: [ModelResult] = []
        for entry in BenchModels.all {
            let model = try entry.build()
            model.eval()
            for batch in batchSizes {
                let shape = [batch, 1, entry.imageSize, entry.imageSize]
                progress("models: \(entry.name) on \(shapeDescription(shape))")
                let x = try randomTensor(shape)
                let ms = try noGrad { try medianMilliseconds(runs: runs, warmup: 1) { _ = try model(x) } }
                results.append(ModelResult(name: entry.name, batch: batch, inputShape: shape, forwardMs: rounded(ms)))
            }
        }
        return results
    }

    static func table(_ rows: [ModelResult]) -> String {
        var table = TextTable(title: "Model forward (eval, no grad, median)", headers: ["model", "input", "forward ms", "ms per image"])
        for r in rows {
            table.rows.append([r.name, shapeDescription(r.inputShape), format(r.forwardMs), format(r.forwardMs / Double(r.batch), 3)])
        }
        return table.rendered
    }
}
