import XCTest
@testable import TensorEngine

/// Elementwise comparison of two float arrays within `accuracy`.
func assertClose(_ actual: [Float], _ expected: [Float], accuracy: Float = 1e-4,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "element counts differ", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() where Swift.abs(a - e) > accuracy * Swift.max(1, Swift.abs(e)) {
        XCTFail("element \(i): \(a) vs expected \(e)", file: file, line: line)
        return
    }
}

/// A tensor of `shape` with deterministic, distinct, non-integer values.
func sampleTensor(_ shape: [Int], seed: UInt64 = 7) throws -> Tensor {
    var generator = RandomGenerator(seed: seed)
    let count = shape.reduce(1, *)
    return try Tensor(shape: shape, scalars: (0..<count).map { _ in generator.nextFloat() * 2 - 1 })
}

/// Asserts that `body` throws a `TensorError` whose message contains `fragment`.
func assertThrowsMessage(_ fragment: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) {
    do {
        _ = try body()
        XCTFail("expected an error containing \"\(fragment)\"", file: file, line: line)
    } catch let error as TensorError {
        XCTAssertTrue(error.message.contains(fragment), "\"\(error.message)\" does not contain \"\(fragment)\"", file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}

final class ConvolutionTests: XCTestCase {
    func testCorr2dTextbookValue() throws {
        let x = try Tensor(shape: [3, 3], scalars: [0, 1, 2, 3, 4, 5, 6, 7, 8])
        let k = try Tensor(shape: [2, 2], scalars: [0, 1, 2, 3])
        let y = try corr2d(x, k)
        XCTAssertEqual(y.shape, [2, 2])
        XCTAssertEqual(y.scalars, [19, 25, 37, 43])
    }

    func testConv2dPaddingAndStrideTextbookValue() throws {
        let x = try Tensor(shape: [1, 1, 5, 5], scalars: [3, 4, 6, 5, 7, 2, 4, 6, 8, 2, 1, 6, 7, 8, 4, 9, 7, 4, 6, 2, 3, 7, 5, 4, 1])
        let k = try Tensor(shape: [1, 1, 3, 3], scalars: (1...9).map(Float.init))
        let y = try conv2d(x, weight: k, stride: (2, 2), padding: (1, 1))
        XCTAssertEqual(y.shape, [1, 1, 3, 3])
        XCTAssertEqual(y.scalars, [91, 224, 127, 192, 282, 122, 96, 110, 31])
        let same = try conv2d(x, weight: k, stride: 2, padding: 1)
        XCTAssertEqual(try conv2d(x, weight: k, padding: 1).shape, [1, 1, 5, 5])
        XCTAssertEqual(same.scalars, y.scalars)
    }

    func testTwoChannelCrossCorrelation() throws {
        let x = try Tensor(shape: [1, 2, 3, 3], scalars: (0..<9).map(Float.init) + (1...9).map(Float.init))
        let k = try Tensor(shape: [1, 2, 2, 2], scalars: [0, 1, 2, 3, 1, 2, 3, 4])
        let y = try conv2d(x, weight: k)
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        XCTAssertEqual(y.scalars, [56, 72, 104, 120])
    }

    func testBiasGroupsAndOutputSize() throws {
        // Output size floor((n + 2p − d(k − 1) − 1) / s) + 1 = floor((7 + 2 − 4 − 1) / 2) + 1 = 3.
        let x = try Tensor.ones([2, 4, 7, 7])
        let w = try Tensor.ones([6, 2, 3, 3])
        let b = try Tensor(shape: [6], scalars: [0, 1, 2, 3, 4, 5])
        let y = try conv2d(x, weight: w, bias: b, stride: (2, 2), padding: (1, 1), dilation: (2, 2), groups: 2)
        XCTAssertEqual(y.shape, [2, 6, 3, 3])
        // The centre position sees all 9 taps of both channels of its group: 18 + bias.
        XCTAssertEqual(y.scalars[4], 18)
        XCTAssertEqual(y.scalars[9 + 4], 19)
        // A corner sees 2×2 taps per channel: 8 + bias.
        XCTAssertEqual(y.scalars[5 * 9], 13)
    }

    func testLearnsEdgeKernelByGradientDescent() throws {
        // The 6×8 image: ones with a black band in columns 2..<6; its edges come from [1, −1].
        var pixels = [Float](repeating: 1, count: 48)
        for r in 0..<6 { for c in 2..<6 { pixels[r * 8 + c] = 0 } }
        let x = try Tensor(shape: [6, 8], scalars: pixels)
        let target = try corr2d(x, Tensor(shape: [1, 2], scalars: [1, -1]))
        manualSeed(0)
        var kernel = try Tensor(shape: [1, 2], scalars: [RandomGenerator.global.nextFloat(), RandomGenerator.global.nextFloat()])
        for _ in 0..<20 {
            let k = kernel.requiringGrad()
            let loss = try mseLoss(corr2d(x, k), target, reduction: .sum)
            try loss.backward()
            kernel = try k.detach() - 0.03 * XCTUnwrap(k.grad)
        }
        XCTAssertEqual(kernel.scalars[0], 1, accuracy: 0.05)
        XCTAssertEqual(kernel.scalars[1], -1, accuracy: 0.05)
    }

    func testErrors() {
        assertThrowsMessage("conv2d: expected input of 4 dimensions [N, C, H, W], got [8, 8]") {
            try conv2d(try Tensor.zeros([8, 8]), weight: try Tensor.zeros([1, 1, 2, 2]))
        }
        assertThrowsMessage("expected input [1, 3, 28, 28] to have 1 channels, but got 3 channels instead") {
            try conv2d(try Tensor.zeros([1, 3, 28, 28]), weight: try Tensor.zeros([6, 1, 5, 5]))
        }
        assertThrowsMessage("smaller than the kernel size (5 x 5)") {
            try conv2d(try Tensor.zeros([1, 1, 4, 4]), weight: try Tensor.zeros([6, 1, 5, 5]))
        }
        assertThrowsMessage("expected bias of shape [6]") {
            try conv2d(try Tensor.zeros([1, 1, 8, 8]), weight: try Tensor.zeros([6, 1, 5, 5]), bias: try Tensor.zeros([5]))
        }
        assertThrowsMessage("corr2d: kernel [3, 3] does not fit inside input [2, 2]") {
            try corr2d(try Tensor.zeros([2, 2]), try Tensor.zeros([3, 3]))
        }
    }

    func testMetaInputGivesShapeOnly() throws {
        let x = try Tensor(metaShape: [16, 3, 224, 224])
        let y = try conv2d(x, weight: try Tensor.zeros([64, 3, 7, 7]), stride: (2, 2), padding: (3, 3))
        XCTAssertTrue(y.isMeta)
        XCTAssertEqual(y.shape, [16, 64, 112, 112])
    }

    /// Several images share one GEMM (with a remainder chunk): results must equal one image at a time.
    func testBatchedGemmMatchesPerImage() throws {
        let x = try sampleTensor([3, 2, 42, 42], seed: 1)
        let w = try sampleTensor([4, 2, 3, 3], seed: 2)
        let b = try sampleTensor([4], seed: 3)
        let setup = try ConvolutionSetup(input: x.shape, weight: w.shape, bias: b.shape, stride: (1, 1), padding: (0, 0), dilation: (1, 1), groups: 1)
        XCTAssertEqual(setup.imagesPerGemm, 2)
        let xs = x.requiringGrad(), ws = w.requiringGrad()
        let y = try conv2d(xs, weight: ws, bias: b)
        let g = try sampleTensor(y.shape, seed: 4)
        try y.backward(gradient: g)
        var weightGradient = [Float](repeating: 0, count: w.count)
        let area = 2 * 42 * 42, outArea = 4 * 40 * 40
        for n in 0..<3 {
            let xi = try Tensor(shape: [1, 2, 42, 42], scalars: Array(x.scalars[(n * area)..<((n + 1) * area)])).requiringGrad()
            let wi = w.requiringGrad()
            let yi = try conv2d(xi, weight: wi, bias: b)
            assertClose(yi.scalars, Array(y.scalars[(n * outArea)..<((n + 1) * outArea)]))
            try yi.backward(gradient: Tensor(shape: yi.shape, scalars: Array(g.scalars[(n * outArea)..<((n + 1) * outArea)])))
            assertClose(try XCTUnwrap(xi.grad).scalars, Array(try XCTUnwrap(xs.grad).scalars[(n * area)..<((n + 1) * area)]))
            for (i, v) in try XCTUnwrap(wi.grad).scalars.enumerated() { weightGradient[i] += v }
        }
        assertClose(try XCTUnwrap(ws.grad).scalars, weightGradient, accuracy: 1e-3)
    }
}

final class ConvolutionGradientTests: XCTestCase {
    func testCorr2dGradient() throws {
        try assertGradientsMatch([try sampleTensor([4, 5]), try sampleTensor([2, 3], seed: 9)]) { try corr2d($0[0], $0[1]) }
    }

    func testConv2dPlainWithBias() throws {
        try assertGradientsMatch([try sampleTensor([2, 3, 5, 5]), try sampleTensor([4, 3, 3, 3], seed: 2), try sampleTensor([4], seed: 3)]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2])
        }
    }

    func testConv2dStridePaddingDilation() throws {
        try assertGradientsMatch([try sampleTensor([2, 2, 7, 6]), try sampleTensor([3, 2, 3, 2], seed: 2), try sampleTensor([3], seed: 3)]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2], stride: (2, 3), padding: (1, 2), dilation: (2, 1))
        }
    }

    func testConv2dGroups() throws {
        try assertGradientsMatch([try sampleTensor([1, 4, 5, 5]), try sampleTensor([6, 2, 3, 3], seed: 2)]) {
            try conv2d($0[0], weight: $0[1], padding: (1, 1), groups: 2)
        }
    }

    func testConv2dPointwise() throws {
        try assertGradientsMatch([try sampleTensor([1, 3, 4, 4]), try sampleTensor([2, 3, 1, 1], seed: 2), try sampleTensor([2], seed: 3)]) {
            try conv2d($0[0], weight: $0[1], bias: $0[2])
        }
    }
}
