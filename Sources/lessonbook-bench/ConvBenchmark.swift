import Foundation
import TensorEngine

struct ConvResult: Encodable {
    var name: String
    var input: [Int]
    var outChannels: Int
    var kernel: [Int]
    var stride: [Int]
    var padding: [Int]
    var forwardMs: Double
    var forwardGflops: Double
    var forwardBackwardMs: Double
    var forwardBackwardGflops: Double
}

struct PoolResult: Encodable {
    var name: String
    var input: [Int]
    var forwardMs: Double
    var forwardBackwardMs: Double
}

struct SgemmResult: Encodable {
    var name: String
    var size: [Int]
    var ms: Double
    var gflops: Double
}

/// The convolution, pooling and sgemm cases of the performance issue, with PyTorch's shapes.
struct ConvBenchmark {
    struct Case {
        var name: String
        var input: [Int]
        var outChannels: Int
        var kernel: (Int, Int)
        var stride: (Int, Int) = (1, 1)
        var padding: (Int, Int) = (0, 0)
    }

    static let cases = [
        Case(name: "Conv2d(1,6,5,pad 2)", input: [256, 1, 28, 28], outChannels: 6, kernel: (5, 5), padding: (2, 2)),
        Case(name: "Conv2d(6,16,5)", input: [256, 6, 14, 14], outChannels: 16, kernel: (5, 5)),
        Case(name: "Conv2d(64,64,3,pad 1)", input: [32, 64, 56, 56], outChannels: 64, kernel: (3, 3), padding: (1, 1)),
        Case(name: "Conv2d(3,64,7,stride 2,pad 3)", input: [16, 3, 224, 224], outChannels: 64, kernel: (7, 7),
             stride: (2, 2), padding: (3, 3)),
    ]

    var runs: Int
    var warmup: Int

    struct Report {
        var conv: [ConvResult]
        var pool: [PoolResult]
        var sgemm: SgemmResult

        var table: String {
            var convTable = TextTable(title: "Convolution (median of the runs, float32)",
                                      headers: ["case", "input", "fwd ms", "fwd GFLOP/s", "fwd+bwd ms", "fwd+bwd GFLOP/s"])
            for r in conv {
                convTable.rows.append([r.name, shapeDescription(r.input), format(r.forwardMs), format(r.forwardGflops, 1),
                                       format(r.forwardBackwardMs), format(r.forwardBackwardGflops, 1)])
            }
            var poolTable = TextTable(title: "Pooling", headers: ["case", "input", "fwd ms", "fwd+bwd ms"])
            for r in pool {
                poolTable.rows.append([r.name, shapeDescription(r.input), format(r.forwardMs), format(r.forwardBackwardMs)])
            }
            var gemmTable = TextTable(title: "Matrix multiplication", headers: ["case", "ms", "GFLOP/s"])
            gemmTable.rows.append([sgemm.name, format(sgemm.ms), format(sgemm.gflops, 1)])
            return [convTable.rendered, poolTable.rendered, gemmTable.rendered].joined(separator: "\n\n")
        }
    }

    func run() throws -> Report {
        manualSeed(0)
        var convResults: [ConvResult] = []
        for c in ConvBenchmark.cases {
            progress("conv: \(c.name) on \(shapeDescription(c.input))")
            convResults.append(try measure(c))
        }
        var poolResults: [PoolResult] = []
        let poolInput = [256, 16, 28, 28]
        for (name, pool) in [("MaxPool2d(2)", { (x: Tensor) in try x.maxPool2d(kernel: 2) }),
                             ("AvgPool2d(2)", { (x: Tensor) in try x.avgPool2d(kernel: 2) })] {
            progress("pool: \(name) on \(shapeDescription(poolInput))")
            poolResults.append(try measurePool(name, input: poolInput, pool))
        }
        progress("sgemm 1024³")
        let a = try randomTensor([1024, 1024]), b = try randomTensor([1024, 1024])
        let ms = try medianMilliseconds(runs: runs, warmup: warmup) { _ = try a.matmul(b) }
        let sgemm = SgemmResult(name: "sgemm 1024³ (matmul)", size: [1024, 1024, 1024], ms: rounded(ms),
                                gflops: rounded(2 * 1024 * 1024 * 1024 / (ms * 1e6), 1))
        return Report(conv: convResults, pool: poolResults, sgemm: sgemm)
    }

    private func measure(_ c: Case) throws -> ConvResult {
        let inChannels = c.input[1]
        let fanIn = Float(inChannels * c.kernel.0 * c.kernel.1)
        let x = try randomTensor(c.input)
        let w = try randomTensor([c.outChannels, inChannels, c.kernel.0, c.kernel.1], scale: 1 / fanIn.squareRoot())
        let bias = try randomTensor([c.outChannels], scale: 0.1)
        let forward = try medianMilliseconds(runs: runs, warmup: warmup) {
            _ = try conv2d(x, weight: w, bias: bias, stride: c.stride, padding: c.padding)
        }
        // Forward and backward as a training step does it: gradients for the input, the
        // weight and the bias, the output gradient given (no loss in the timing).
        let xg = x.requiringGrad(), wg = w.requiringGrad(), bg = bias.requiringGrad()
        let probe = try conv2d(x, weight: w, bias: bias, stride: c.stride, padding: c.padding)
        let outputGradient = try Tensor.ones(probe.shape)
        let forwardBackward = try medianMilliseconds(runs: runs, warmup: warmup) {
            let y = try conv2d(xg, weight: wg, bias: bg, stride: c.stride, padding: c.padding)
            try y.backward(gradient: outputGradient)
            xg.zeroGrad(); wg.zeroGrad(); bg.zeroGrad()
        }
        let outShape = probe.shape
        let flops = 2.0 * Double(c.input[0] * c.outChannels * outShape[2] * outShape[3] * inChannels * c.kernel.0 * c.kernel.1)
        return ConvResult(name: c.name, input: c.input, outChannels: c.outChannels,
                          kernel: [c.kernel.0, c.kernel.1], stride: [c.stride.0, c.stride.1],
                          padding: [c.padding.0, c.padding.1],
                          forwardMs: rounded(forward), forwardGflops: rounded(flops / (forward * 1e6), 1),
                          forwardBackwardMs: rounded(forwardBackward),
                          forwardBackwardGflops: rounded(3 * flops / (forwardBackward * 1e6), 1))
    }

    private func measurePool(_ name: String, input: [Int], _ pool: (Tensor) throws -> Tensor) throws -> PoolResult {
        let x = try randomTensor(input)
        let forward = try medianMilliseconds(runs: runs, warmup: warmup) { _ = try pool(x) }
        let xg = x.requiringGrad()
        let outputGradient = try Tensor.ones(try pool(x).shape)
        let forwardBackward = try medianMilliseconds(runs: runs, warmup: warmup) {
            try pool(xg).backward(gradient: outputGradient)
            xg.zeroGrad()
        }
        return PoolResult(name: name, input: input, forwardMs: rounded(forward), forwardBackwardMs: rounded(forwardBackward))
    }
}
