import XCTest
@testable import TensorEngine

final class CombiningTests: XCTestCase {
    let a = try! Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    let b = try! Tensor(shape: [2, 2], scalars: [5, 6, 7, 8])

    func testCat() throws {
        XCTAssertEqual(try Tensor.cat([a, b]).scalars, [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(try Tensor.cat([a, b]).shape, [4, 2])
        let c = try Tensor.cat([a, b, try Tensor(shape: [2, 1], scalars: [9, 10])], dim: 1)
        XCTAssertEqual(c.shape, [2, 5])
        XCTAssertEqual(c.scalars, [1, 2, 5, 6, 9, 3, 4, 7, 8, 10])
        XCTAssertEqual(try Tensor.cat([a, b], dim: -1).shape, [2, 4])
        XCTAssertEqual(try Tensor.cat([a, Tensor.zeros([0, 2])]).shape, [2, 2])
        XCTAssertEqual(try Tensor.cat([Tensor.arange(2), Tensor.arange(3)]).dtype, .int64)
        XCTAssertEqual(try Tensor.cat([Tensor.arange(2), Tensor([0.5])]).dtype, .float32)
    }

    func testStack() throws {
        let s0 = try Tensor.stack([a, b])
        XCTAssertEqual(s0.shape, [2, 2, 2])
        XCTAssertEqual(s0.scalars, [1, 2, 3, 4, 5, 6, 7, 8])
        let s2 = try Tensor.stack([a, b], dim: 2)
        XCTAssertEqual(s2.shape, [2, 2, 2])
        XCTAssertEqual(s2.scalars, [1, 5, 2, 6, 3, 7, 4, 8])
        let s1 = try Tensor.stack([a, b], dim: -2)
        XCTAssertEqual(s1.scalars, [1, 2, 5, 6, 3, 4, 7, 8])
        XCTAssertEqual(try Tensor.stack([Tensor(1), Tensor(2), Tensor(3)]).scalars, [1, 2, 3])
    }

    func testErrors() {
        expectTensorError("cat: expected a non-empty list of tensors") { try Tensor.cat([]) }
        expectTensorError("stack: expected a non-empty list of tensors") { try Tensor.stack([]) }
        expectTensorError("cat: sizes of tensors must match except in dimension 0. Expected size 2 but got size 3 for tensor number 1 in the list (shapes [2, 2] and [1, 3])") {
            try Tensor.cat([self.a, Tensor.zeros([1, 3])])
        }
        expectTensorError("cat: tensors must have same number of dimensions: got 2 and 1 (shapes [2, 2] and [2])") {
            try Tensor.cat([self.a, Tensor.zeros([2])])
        }
        expectTensorError("cat: zero-dimensional tensor (at position 1) cannot be concatenated") { try Tensor.cat([Tensor([1]), Tensor(2)]) }
        expectTensorError("cat: dimension out of range (expected to be in range of [-2, 1], but got 2)") { try Tensor.cat([self.a, self.b], dim: 2) }
        expectTensorError("stack: expects each tensor to be equal size, but got [2, 2] at entry 0 and [2] at entry 1") {
            try Tensor.stack([self.a, Tensor.zeros([2])])
        }
        expectTensorError("stack: dimension out of range (expected to be in range of [-3, 2], but got 3)") { try Tensor.stack([self.a], dim: 3) }
    }

    func testGradients() throws {
        let c = try Tensor(shape: [2, 3], scalars: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
        try assertGradientsMatch([a, b]) { try Tensor.cat($0, dim: 0) }
        try assertGradientsMatch([a, b, c]) { try Tensor.cat($0, dim: 1) }
        try assertGradientsMatch([a, b]) { try Tensor.stack($0, dim: 0) }
        try assertGradientsMatch([a, b]) { try Tensor.stack($0, dim: 2) }
        // Only tracked inputs get a gradient.
        let tracked = a.requiringGrad()
        try Tensor.stack([tracked, b], dim: 1).sum().backward()
        XCTAssertEqual(tracked.grad?.scalars, [1, 1, 1, 1])
    }

    func testMeta() throws {
        let m = try Tensor(metaShape: [4, 3])
        let c = try Tensor.cat([m, a.reshape(4, 1)], dim: 1)
        XCTAssertTrue(c.isMeta); XCTAssertEqual(c.shape, [4, 4])
        XCTAssertEqual(try Tensor.stack([m, m], dim: 1).shape, [4, 2, 3])
    }
}
