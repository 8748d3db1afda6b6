import XCTest
@testable import TensorEngine

/// The vectorised 2×2 / stride 2 pooling kernels against a plain loop, and by finite differences.
final class PoolingKernelTests: XCTestCase {
    /// 2×2 blocks of [planes, H, W] reduced by `combine`, the plain way.
    private func reference(_ x: Tensor, _ combine: ([Float]) -> Float) -> [Float] {
        let H = x.shape[x.rank - 2], W = x.shape[x.rank - 1], planes = x.count / (H * W)
        let v = x.scalars
        var out: [Float] = []
        for p in 0..<planes {
            for oh in 0..<(H / 2) {
                for ow in 0..<(W / 2) {
                    let base = p * H * W + 2 * oh * W + 2 * ow
                    out.append(combine([v[base], v[base + 1], v[base + W], v[base + W + 1]]))
                }
            }
        }
        return out
    }

    func testTwoByTwoPathIsTakenOnlyWhereItTiles() throws {
        func geometry(_ h: Int, _ w: Int, kernel: Int = 2, stride: Int = 2, padding: Int = 0) -> WindowGeometry {
            WindowGeometry(kernelH: kernel, kernelW: kernel, strideH: stride, strideW: stride, padH: padding, padW: padding,
                           dilationH: 1, dilationW: 1, inputH: h, inputW: w,
                           outputH: WindowGeometry.outputSize(input: h, kernel: kernel, stride: stride, padding: padding, dilation: 1),
                           outputW: WindowGeometry.outputSize(input: w, kernel: kernel, stride: stride, padding: padding, dilation: 1))
        }
        XCTAssertTrue(PoolingKernels.isTwoByTwo(geometry(28, 28)))
        XCTAssertFalse(PoolingKernels.isTwoByTwo(geometry(28, 29)), "an odd width leaves a column out")
        XCTAssertFalse(PoolingKernels.isTwoByTwo(geometry(4, 4)), "rows shorter than a vector")
        XCTAssertFalse(PoolingKernels.isTwoByTwo(geometry(28, 28, stride: 1)))
        XCTAssertFalse(PoolingKernels.isTwoByTwo(geometry(28, 28, padding: 1)))
    }

    func testMaxAndAverageMatchPlainLoops() throws {
        // Output rows of 10 (a vector of 8 plus one overlapping it) and of 16.
        for shape in [[2, 3, 6, 20], [1, 2, 4, 32]] {
            let x = try sampleTensor(shape, seed: 4)
            XCTAssertEqual(try x.maxPool2d(kernel: 2).scalars, reference(x) { $0.max()! })
            assertClose(try x.avgPool2d(kernel: 2).scalars, reference(x) { ($0[0] + $0[1] + $0[2] + $0[3]) / 4 }, accuracy: 1e-6)
        }
    }

    func testMaxGradientGoesToTheFirstMaximumAndNaNPropagates() throws {
        var values = [Float](repeating: 0, count: 2 * 16)
        values[1] = 5; values[16] = 5          // block 0: tie between (0, 1) and (1, 0)
        values[2] = .nan; values[3] = 9        // block 1: NaN wins over a larger number
        values[20] = 7                         // block 2: the maximum in the bottom row
        let x = try Tensor(shape: [1, 1, 2, 16], scalars: values).requiringGrad()
        let y = try x.maxPool2d(kernel: 2)
        XCTAssertEqual(y.scalars[0], 5)
        XCTAssertTrue(y.scalars[1].isNaN)
        XCTAssertEqual(y.scalars[2], 7)
        try y.backward(gradient: try Tensor(shape: y.shape, scalars: (1...8).map(Float.init)))
        let g = try XCTUnwrap(x.grad).scalars
        XCTAssertEqual(g[1], 1); XCTAssertEqual(g[16], 0)
        XCTAssertEqual(g[2], 2); XCTAssertEqual(g[3], 0)
        XCTAssertEqual(g[20], 3)
        XCTAssertEqual(g.reduce(0, +), 36, "each block sends its gradient to exactly one element")
    }

    func testGradients() throws {
        let x = try sampleTensor([1, 2, 4, 18])
        try assertGradientsMatch([x], epsilon: 1e-3) { try $0[0].maxPool2d(kernel: 2) }
        try assertGradientsMatch([x]) { try $0[0].avgPool2d(kernel: 2) }
    }
}
