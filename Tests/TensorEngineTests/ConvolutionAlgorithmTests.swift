import XCTest
@testable import TensorEngine

/// The fast convolution algorithms (Winograd, the parallel and row-band im2col panels) against
/// the plain im2col path and against finite differences.
final class ConvolutionAlgorithmTests: XCTestCase {
    override func tearDown() {
        ConvolutionKernels.forcedMethod = nil
        super.tearDown()
    }

    /// Output, input gradient, weight gradient and bias gradient of one convolution.
    private func run(_ x: Tensor, _ w: Tensor, _ b: Tensor, padding: (Int, Int), method: ConvolutionKernels.Method?,
                     gradientSeed: UInt64 = 11) throws -> [[Float]] {
        ConvolutionKernels.forcedMethod = method
        defer { ConvolutionKernels.forcedMethod = nil }
        let xs = x.requiringGrad(), ws = w.requiringGrad(), bs = b.requiringGrad()
        let y = try conv2d(xs, weight: ws, bias: bs, padding: padding)
        try y.backward(gradient: try sampleTensor(y.shape, seed: gradientSeed))
        return [y.scalars, try XCTUnwrap(xs.grad).scalars, try XCTUnwrap(ws.grad).scalars, try XCTUnwrap(bs.grad).scalars]
    }

    func testWinogradAppliesOnlyToItsShapes() throws {
        func setup(_ input: [Int], _ weight: [Int], padding: Int = 1, stride: Int = 1, groups: Int = 1) throws -> ConvolutionSetup {
            try ConvolutionSetup(input: input, weight: weight, bias: nil, stride: (stride, stride), padding: (padding, padding),
                                 dilation: (1, 1), groups: groups)
        }
        XCTAssertTrue(WinogradPlan.applies(try setup([32, 64, 56, 56], [64, 64, 3, 3])))
        XCTAssertFalse(WinogradPlan.applies(try setup([32, 64, 56, 56], [64, 64, 3, 3], stride: 2)))
        XCTAssertFalse(WinogradPlan.applies(try setup([32, 64, 56, 56], [64, 64, 5, 5])))
        XCTAssertFalse(WinogradPlan.applies(try setup([32, 3, 56, 56], [64, 3, 3, 3])))
        XCTAssertFalse(WinogradPlan.applies(try setup([32, 64, 56, 56], [64, 32, 3, 3], groups: 2)))
        XCTAssertFalse(WinogradPlan.applies(try setup([32, 64, 56, 56], [64, 64, 3, 3], padding: 3)))
    }

    /// Winograd equals im2col for every padding it takes, even and odd output sizes, and a
    /// row of tiles longer than one vector (tiles padded to whole vectors).
    func testWinogradMatchesIm2col() throws {
        for (shape, padding) in [([2, 16, 9, 17], (1, 1)), ([3, 17, 8, 20], (0, 0)), ([1, 16, 5, 40], (2, 1)),
                                 ([2, 16, 11, 35], (1, 2))] {
            let x = try sampleTensor(shape, seed: 1)
            let w = try sampleTensor([18, shape[1], 3, 3], seed: 2)
            let b = try sampleTensor([18], seed: 3)
            let setup = try ConvolutionSetup(input: shape, weight: w.shape, bias: b.shape, stride: (1, 1), padding: padding,
                                             dilation: (1, 1), groups: 1)
            XCTAssertTrue(WinogradPlan.applies(setup), "\(shape)")
            let reference = try run(x, w, b, padding: padding, method: .im2col)
            let winograd = try run(x, w, b, padding: padding, method: .winograd)
            for (part, name) in ["output", "input gradient", "weight gradient", "bias gradient"].enumerated() {
                XCTAssertEqual(reference[part].count, winograd[part].count, name)
                let worst = zip(reference[part], winograd[part]).map { Swift.abs($0 - $1) / Swift.max(1, Swift.abs($0)) }.max() ?? 0
                XCTAssertLessThan(worst, 1e-4, "\(name) of \(shape) padding \(padding)")
            }
        }
    }

    /// Finite differences for the input and the bias (the weight gradient, 2304 elements, is
    /// checked against im2col above, whose own gradient is checked by finite differences).
    func testWinogradGradient() throws {
        ConvolutionKernels.forcedMethod = .winograd
        let w = try sampleTensor([16, 16, 3, 3], seed: 2)
        try assertGradientsMatch([try sampleTensor([1, 16, 2, 16]), try sampleTensor([16], seed: 3)]) {
            try conv2d($0[0], weight: w, bias: $0[1], padding: (1, 1))
        }
        XCTAssertEqual(ConvolutionKernels.method(try ConvolutionSetup(input: [1, 16, 2, 16], weight: w.shape, bias: [16],
            stride: (1, 1), padding: (1, 1), dilation: (1, 1), groups: 1)), .winograd)
    }

    /// The direct kernels (few input channels; output channels in the vector lanes) equal
    /// im2col, including the last vector or pass that overlaps its neighbour.
    func testDirectKernelsMatchIm2col() throws {
        let cases: [(input: [Int], weight: [Int], stride: Int, padding: Int, method: ConvolutionKernels.Method)] = [
            ([3, 1, 28, 28], [6, 1, 5, 5], 1, 2, .direct),
            ([2, 1, 28, 28], [10, 1, 5, 5], 1, 0, .direct),
            ([2, 3, 9, 37], [5, 3, 3, 3], 1, 1, .direct),
            ([3, 6, 14, 14], [16, 6, 5, 5], 1, 0, .channelVector),
            ([2, 3, 11, 13], [32, 3, 3, 3], 2, 1, .channelVector),
            // Two-row, ten-column passes: the last row pair and column block overlap their neighbours.
            ([2, 3, 13, 17], [32, 3, 3, 3], 1, 0, .channelVector),
            ([1, 2, 7, 14], [16, 2, 3, 5], 1, 1, .channelVector),
        ]
        for c in cases {
            let setup = try ConvolutionSetup(input: c.input, weight: c.weight, bias: [c.weight[0]], stride: (c.stride, c.stride),
                                             padding: (c.padding, c.padding), dilation: (1, 1), groups: 1)
            ConvolutionKernels.forcedMethod = nil
            XCTAssertEqual(ConvolutionKernels.method(setup), c.method, "\(c.input) with \(c.weight)")
            let x = try sampleTensor(c.input, seed: 1), w = try sampleTensor(c.weight, seed: 2), b = try sampleTensor([c.weight[0]], seed: 3)
            let fast = try conv2d(x, weight: w, bias: b, stride: (c.stride, c.stride), padding: (c.padding, c.padding))
            ConvolutionKernels.forcedMethod = .im2col
            let reference = try conv2d(x, weight: w, bias: b, stride: (c.stride, c.stride), padding: (c.padding, c.padding))
            ConvolutionKernels.forcedMethod = nil
            XCTAssertEqual(fast.shape, reference.shape)
            assertClose(fast.scalars, reference.scalars, accuracy: 1e-5)
        }
    }

    func testDirectKernelGradients() throws {
        ConvolutionKernels.forcedMethod = .direct
        try assertGradientsMatch([try sampleTensor([1, 2, 3, 18]), try sampleTensor([3, 2, 3, 3], seed: 2), try sampleTensor([3], seed: 3)]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2], padding: (1, 1))
        }
        ConvolutionKernels.forcedMethod = .channelVector
        try assertGradientsMatch([try sampleTensor([1, 2, 4, 5]), try sampleTensor([16, 2, 2, 2], seed: 2), try sampleTensor([16], seed: 3)]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2], stride: (1, 2), padding: (1, 0))
        }
    }

    /// A batch big enough for two workers, images whose column matrix is split into bands of
    /// rows, and a batch of one split by rows between the workers: all equal one image at a time.
    func testParallelPanelsMatchSingleImages() throws {
        for (shape, weight, padding) in [([5, 3, 30, 30], [8, 3, 5, 5], (2, 2)), ([1, 3, 96, 90], [9, 3, 7, 7], (3, 3)),
                                         ([12, 6, 14, 14], [16, 6, 5, 5], (0, 0))] {
            let setup = try ConvolutionSetup(input: shape, weight: weight, bias: [weight[0]], stride: (1, 1), padding: padding,
                                             dilation: (1, 1), groups: 1)
            XCTAssertGreaterThan(ConvolutionKernels.assignments(setup, splitRows: true).count, 1, "large enough to run in parallel")
            let x = try sampleTensor(shape, seed: 5), w = try sampleTensor(weight, seed: 6), b = try sampleTensor([weight[0]], seed: 7)
            let all = try run(x, w, b, padding: padding, method: .im2col)
            let imageCount = shape[1] * shape[2] * shape[3], outCount = all[0].count / shape[0]
            var weightGradient = [Float](repeating: 0, count: w.count), biasGradient = [Float](repeating: 0, count: weight[0])
            let gradient = try sampleTensor([shape[0]] + Array(try conv2d(x, weight: w, padding: padding).shape.dropFirst()), seed: 11)
            for n in 0..<shape[0] {
                let xi = try Tensor(shape: [1] + shape.dropFirst(), scalars: Array(x.scalars[(n * imageCount)..<((n + 1) * imageCount)]))
                    .requiringGrad()
                let wi = w.requiringGrad(), bi = b.requiringGrad()
                let y = try noGrad { try conv2d(xi.detach(), weight: w, bias: b, padding: padding) }
                assertClose(y.scalars, Array(all[0][(n * outCount)..<((n + 1) * outCount)]))
                let yi = try conv2d(xi, weight: wi, bias: bi, padding: padding)
                try yi.backward(gradient: Tensor(shape: yi.shape, scalars: Array(gradient.scalars[(n * outCount)..<((n + 1) * outCount)])))
                assertClose(try XCTUnwrap(xi.grad).scalars, Array(all[1][(n * imageCount)..<((n + 1) * imageCount)]))
                for (i, v) in try XCTUnwrap(wi.grad).scalars.enumerated() { weightGradient[i] += v }
                for (i, v) in try XCTUnwrap(bi.grad).scalars.enumerated() { biasGradient[i] += v }
            }
            assertClose(all[2], weightGradient, accuracy: 1e-3)
            assertClose(all[3], biasGradient, accuracy: 1e-3)
        }
    }
}
