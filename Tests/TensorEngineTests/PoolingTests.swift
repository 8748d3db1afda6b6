import XCTest
@testable import TensorEngine

final class PoolingTests: XCTestCase {
    let grid = try! Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map(Float.init))

    func testMaxPoolTextbookValues() throws {
        let x = try Tensor(shape: [1, 1, 4, 4], scalars: [3, 4, 6, 5, 2, 4, 6, 8, 1, 6, 7, 8, 9, 7, 4, 6])
        let y = try x.maxPool2d(kernel: 2)
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        XCTAssertEqual(y.scalars, [4, 8, 9, 8])
    }

    func testMaxPoolPaddingAndStride() throws {
        let a = try grid.maxPool2d(kernel: 3, stride: 2, padding: 1)
        XCTAssertEqual(a.shape, [1, 1, 2, 2])
        XCTAssertEqual(a.scalars, [5, 7, 13, 15])
        let b = try grid.maxPool2d(kernel: Size2(2, 4), stride: Size2(2, 3), padding: Size2(1, 2))
        XCTAssertEqual(b.shape, [1, 1, 3, 2])
        XCTAssertEqual(b.scalars, [1, 3, 9, 11, 13, 15])
    }

    func testMaxPoolPadsWithNegativeInfinity() throws {
        let x = try Tensor(shape: [1, 1, 2, 2], scalars: [-5, -6, -7, -8])
        XCTAssertEqual(try x.maxPool2d(kernel: 2, stride: 1, padding: 1).scalars, [-5, -5, -6, -5, -5, -6, -7, -7, -8])
    }

    func testCeilMode() throws {
        let x = try Tensor(shape: [1, 1, 5, 5], scalars: (0..<25).map(Float.init))
        XCTAssertEqual(try x.maxPool2d(kernel: 2, ceilMode: true).scalars, [6, 8, 9, 16, 18, 19, 21, 23, 24])
        assertClose(try x.avgPool2d(kernel: 2, ceilMode: true).scalars, [3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24])
        assertClose(try x.avgPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true).scalars,
                    [1.333333, 3, 2.666667, 7, 12, 9, 8, 13, 9.333333])
        assertClose(try x.avgPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false).scalars,
                    [3, 4.5, 6, 10.5, 12, 13.5, 18, 19.5, 21])
        // (6 + 2 − 3) / 2 rounded up, + 1 = 4: the fourth window starts at row 5, inside the input.
        let six = try Tensor.zeros([1, 1, 6, 6])
        XCTAssertEqual(try six.maxPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true).shape, [1, 1, 4, 4])
        // Here ceil((5 + 2 − 2) / 2) + 1 = 4, but the fourth window would start in the right padding.
        XCTAssertEqual(try Tensor.zeros([1, 1, 5, 5]).maxPool2d(kernel: 2, stride: 2, padding: 1, ceilMode: true).shape, [1, 1, 3, 3])
    }

    func testAvgPoolTextbookValue() throws {
        let x = try Tensor(shape: [1, 1, 3, 3], scalars: (0..<9).map(Float.init))
        XCTAssertEqual(try x.avgPool2d(kernel: 2, stride: 1).scalars, [2, 3, 5, 6])
    }

    func testAdaptiveAveragePool() throws {
        let x = try Tensor(shape: [1, 1, 5, 5], scalars: (0..<25).map(Float.init))
        assertClose(try x.adaptiveAvgPool2d(outputSize: Size2(3, 2)).scalars, [3.5, 5.5, 11, 13, 18.5, 20.5])
        let global = try grid.adaptiveAvgPool2d(outputSize: 1)
        XCTAssertEqual(global.shape, [1, 1, 1, 1])
        XCTAssertEqual(global.scalars, [7.5])
    }

    func testThreeDimensionalInputAndMeta() throws {
        XCTAssertEqual(try Tensor.zeros([3, 8, 8]).maxPool2d(kernel: 2).shape, [3, 4, 4])
        let meta = try Tensor(metaShape: [256, 16, 28, 28]).avgPool2d(kernel: 2)
        XCTAssertTrue(meta.isMeta)
        XCTAssertEqual(meta.shape, [256, 16, 14, 14])
    }

    func testErrors() {
        assertThrowsMessage("pad should be at most half of effective kernel size") { try self.grid.maxPool2d(kernel: 2, padding: 2) }
        assertThrowsMessage("maxPool2d: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got [4, 4]") {
            try Tensor.zeros([4, 4]).maxPool2d(kernel: 2)
        }
        assertThrowsMessage("too small") { try self.grid.maxPool2d(kernel: 5) }
    }
}

final class PoolingGradientTests: XCTestCase {
    let x = try! sampleTensor([2, 2, 5, 5])

    func testMaxPoolGradient() throws {
        try assertGradientsMatch([x], epsilon: 1e-3) { try $0[0].maxPool2d(kernel: 2) }
        try assertGradientsMatch([x], epsilon: 1e-3) { try $0[0].maxPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true) }
        try assertGradientsMatch([x], epsilon: 1e-3) { try $0[0].maxPool2d(kernel: 2, stride: 1, dilation: 2) }
    }

    func testAvgPoolGradient() throws {
        try assertGradientsMatch([x]) { try $0[0].avgPool2d(kernel: 2) }
        try assertGradientsMatch([x]) { try $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true) }
        try assertGradientsMatch([x]) { try $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false) }
    }

    func testAdaptivePoolGradient() throws {
        try assertGradientsMatch([x]) { try $0[0].adaptiveAvgPool2d(outputSize: Size2(3, 2)) }
        try assertGradientsMatch([x]) { try $0[0].adaptiveAvgPool2d(outputSize: 1) }
    }
}
