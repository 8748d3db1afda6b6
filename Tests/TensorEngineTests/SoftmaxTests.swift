import Foundation
import XCTest
@testable import TensorEngine

final class SoftmaxTests: XCTestCase {
    func testValues() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, 0, 0])
        let y = try x.softmax(dim: 1)
        // e^-2, e^-1, 1 over their sum 1.5032147.
        let expected: [Float] = [0.09003057, 0.24472847, 0.66524096, 1.0 / 3, 1.0 / 3, 1.0 / 3]
        for (a, b) in zip(y.scalars, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let logY = try x.logSoftmax(dim: -1)
        for (a, b) in zip(logY.scalars, expected) { XCTAssertEqual(a, Foundation.log(b), accuracy: 1e-5) }
        let columns = try x.softmax(dim: 0)
        for (a, b) in zip(columns.scalars, [0.7310586, 0.8807971, 0.95257413, 0.26894143, 0.11920292, 0.04742587] as [Float]) {
            XCTAssertEqual(a, b, accuracy: 1e-6)
        }
    }

    func testLargeLogitsAreStable() throws {
        let x = try Tensor([1000, 1001, 1002])
        let y = try x.softmax(dim: 0)
        XCTAssertEqual(y.scalars[2], 0.66524096, accuracy: 1e-6)
        XCTAssertFalse(y.scalars.contains { $0.isNaN })
        let l = try Tensor([-1000, 0]).logSoftmax(dim: 0)
        XCTAssertEqual(l.scalars[0], -1000, accuracy: 1e-3)
        XCTAssertEqual(l.scalars[1], 0, accuracy: 1e-6)
    }

    func testIntegerInputGivesFloatAndMeta() throws {
        let y = try Tensor.arange(3).softmax(dim: 0)
        XCTAssertEqual(y.dtype, .float32)
        XCTAssertEqual(y.scalars.reduce(0, +), 1, accuracy: 1e-6)
        let m = try Tensor(metaShape: [8, 10]).logSoftmax(dim: 1)
        XCTAssertTrue(m.isMeta); XCTAssertEqual(m.shape, [8, 10])
        expectTensorError("softmax: dimension out of range (expected to be in range of [-2, 1], but got 2)") {
            try Tensor.zeros([2, 2]).softmax(dim: 2)
        }
    }

    func testGradients() throws {
        let a = try Tensor(shape: [2, 3, 2], scalars: [0.5, -1.2, 2.0, 0.3, 1.1, -0.7, 0.9, 1.7, -0.4, 0.2, -2.2, 1.3])
        for dim in [0, 1, 2, -1] {
            try assertGradientsMatch([a]) { try $0[0].softmax(dim: dim) }
            try assertGradientsMatch([a]) { try $0[0].logSoftmax(dim: dim) }
        }
    }
}
