import XCTest
@testable import TensorEngine

final class MatmulTests: XCTestCase {
    let a = try! Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let b = try! Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])

    func testMatrixProducts() throws {
        let c = try a.matmul(b)
        XCTAssertEqual(c.shape, [2, 2])
        XCTAssertEqual(c.scalars, [58, 64, 139, 154])
        XCTAssertEqual(try Tensor.matmul(b, a).scalars, [39, 54, 69, 49, 68, 87, 59, 82, 105])
        let v = try Tensor([1, 0, -1])
        XCTAssertEqual(try v.matmul(v).shape, [])
        XCTAssertEqual(try v.matmul(v).item(), 2)
        XCTAssertEqual(try a.matmul(v).scalars, [-2, -2])
        XCTAssertEqual(try a.matmul(v).shape, [2])
        XCTAssertEqual(try Tensor([1, 1]).matmul(a).scalars, [5, 7, 9])
        XCTAssertEqual(try Tensor.arange(2).matmul(Tensor.arange(4).reshape(2, 2)).dtype, .int64)
        XCTAssertEqual(try Tensor.zeros([2, 0]).matmul(Tensor.zeros([0, 3])).scalars, [0, 0, 0, 0, 0, 0])
    }

    func testBatched() throws {
        let batch = try Tensor.stack([a, try a * 2])                         // [2, 2, 3]
        let c = try batch.matmul(b)                                          // shared right matrix
        XCTAssertEqual(c.shape, [2, 2, 2])
        XCTAssertEqual(c.scalars, [58, 64, 139, 154, 116, 128, 278, 308])
        let rights = try Tensor.stack([b, try b * -1])                       // [2, 3, 2]
        XCTAssertEqual(try batch.matmul(rights).scalars, [58, 64, 139, 154, -116, -128, -278, -308])
        XCTAssertEqual(try a.matmul(rights).scalars, [58, 64, 139, 154, -58, -64, -139, -154])
        // Batch dimensions broadcast: [2, 1, 2, 3] × [3, 3, 2] → [2, 3, 2, 2].
        let left = try batch.reshape(2, 1, 2, 3)
        let right = try Tensor.stack([b, b, b])
        let d = try left.matmul(right)
        XCTAssertEqual(d.shape, [2, 3, 2, 2])
        XCTAssertEqual(Array(d.scalars[12..<16]), [116, 128, 278, 308])
        XCTAssertEqual(try batch.matmul(Tensor([1, 0, 0])).scalars, [1, 4, 2, 8])
        XCTAssertEqual(try Tensor([1, 0]).matmul(batch).shape, [2, 3])
    }

    func testErrors() {
        expectTensorError("matmul: [2, 3] and [4, 5] cannot be multiplied (3 ≠ 4)") { try self.a.matmul(Tensor.zeros([4, 5])) }
        expectTensorError("matmul: [3] and [2] cannot be multiplied (3 ≠ 2)") { try Tensor.zeros([3]).matmul(Tensor.zeros([2])) }
        expectTensorError("matmul: both arguments need at least 1 dimension, got [] and [3]") { try Tensor(1).matmul(Tensor.zeros([3])) }
        expectTensorError("matmul: the batch dimensions of [2, 2, 3] and [3, 3, 2] cannot be broadcast ([2] and [3])") {
            try Tensor.zeros([2, 2, 3]).matmul(Tensor.zeros([3, 3, 2]))
        }
    }

    func testGradients() throws {
        let v = try Tensor([0.3, -0.6, 0.9])
        try assertGradientsMatch([a, b]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatch([v, v]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatch([a, v]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatch([try Tensor([0.5, -1]), a]) { try $0[0].matmul($0[1]) }
        let batch = try Tensor.stack([a, try a * 0.5])
        let rights = try Tensor.stack([b, try b * -0.25])
        try assertGradientsMatch([batch, b]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatch([batch, rights]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatch([a, rights]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatch([batch.reshape(2, 1, 2, 3), Tensor.stack([b, rights.slice([1]), b])]) { try $0[0].matmul($0[1]) }
        try assertGradientsMatch([batch, v]) { try $0[0].matmul($0[1]) }
    }

    func testMetaAndNames() throws {
        let m = try Tensor(metaShape: [64, 320]).matmul(Tensor(metaShape: [320, 10]))
        XCTAssertTrue(m.isMeta); XCTAssertEqual(m.shape, [64, 10])
        let p = a.requiringGrad()
        XCTAssertEqual(try p.matmul(b).gradFunctionName, "MmBackward")
        XCTAssertEqual(try p.matmul(Tensor([1, 2, 3])).gradFunctionName, "MvBackward")
    }

    func testLargeProductMatchesNaive() throws {
        manualSeed(3)
        let x = try Tensor.randn(33, 70), y = try Tensor.randn(70, 41)
        let z = try x.matmul(y)
        let xs = x.scalars, ys = y.scalars
        for (i, j) in [(0, 0), (5, 17), (32, 40), (20, 3)] {
            var s: Float = 0
            for k in 0..<70 { s += xs[i * 70 + k] * ys[k * 41 + j] }
            XCTAssertEqual(z.scalars[i * 41 + j], s, accuracy: 1e-3)
        }
    }
}
