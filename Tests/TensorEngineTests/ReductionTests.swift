import XCTest
@testable import TensorEngine

final class ReductionTests: XCTestCase {
    // [[1, 5, 3], [4, 2, 6]]
    let x = try! Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])

    func testSumAndMean() throws {
        XCTAssertEqual(try x.sum().shape, [])
        XCTAssertEqual(try x.sum().item(), 21)
        XCTAssertEqual(try x.sum(dim: 0).scalars, [5, 7, 9])
        XCTAssertEqual(try x.sum(dim: 1).scalars, [9, 12])
        XCTAssertEqual(try x.sum(dim: -1, keepDim: true).shape, [2, 1])
        XCTAssertEqual(try x.mean().item(), 3.5)
        XCTAssertEqual(try x.mean(dim: 0).scalars, [2.5, 3.5, 4.5])
        XCTAssertEqual(try x.mean(dim: 1, keepDim: true).shape, [2, 1])
        let cube = try Tensor.arange(24, dtype: .float32).reshape(2, 3, 4)
        XCTAssertEqual(try cube.sum(dim: 1).scalars, [12, 15, 18, 21, 48, 51, 54, 57])
        XCTAssertEqual(try cube.sum(dims: [0, 2]).scalars, [60, 92, 124])
        XCTAssertEqual(try cube.mean(dims: [0, 2], keepDim: true).shape, [1, 3, 1])
        XCTAssertEqual(try cube.mean(dims: [0, 2]).scalars, [7.5, 11.5, 15.5])
        // A long sum stays accurate.
        XCTAssertEqual(try Tensor.ones([1_000_001]).sum().item(), 1_000_001)
    }

    func testElementTypes() throws {
        let ints = try Tensor.arange(6).reshape(2, 3)
        XCTAssertEqual(try ints.sum().dtype, .int64)
        XCTAssertEqual(try ints.sum(dim: 0).dtype, .int64)
        XCTAssertEqual(try ints.mean().dtype, .float32)
        XCTAssertEqual(try ints.mean().item(), 2.5)
        XCTAssertEqual(try ints.max().dtype, .int64)
        let mask = try x .> Tensor(2)
        XCTAssertEqual(try mask.sum().dtype, .int64)
        XCTAssertEqual(try mask.sum().item(), 4)
        XCTAssertEqual(try x.argmax().dtype, .int64)
    }

    func testMaxMinArg() throws {
        XCTAssertEqual(try x.max().item(), 6)
        XCTAssertEqual(try x.min().item(), 1)
        XCTAssertEqual(try x.max(dim: 1).scalars, [5, 6])
        XCTAssertEqual(try x.min(dim: 0).scalars, [1, 2, 3])
        let (values, indices) = try x.maxWithIndices(dim: 0, keepDim: true)
        XCTAssertEqual(values.shape, [1, 3]); XCTAssertEqual(values.scalars, [4, 5, 6])
        XCTAssertEqual(indices.scalars, [1, 0, 1]); XCTAssertEqual(indices.dtype, .int64)
        XCTAssertEqual(try x.minWithIndices(dim: 1).indices.scalars, [0, 1])
        XCTAssertEqual(try x.argmax().item(), 5)
        XCTAssertEqual(try x.argmin().item(), 0)
        XCTAssertEqual(try x.argmax(dim: 1).scalars, [1, 2])
        XCTAssertEqual(try x.argmin(dim: 0).scalars, [0, 1, 0])
        XCTAssertEqual(try x.argmax(dim: -1, keepDim: true).shape, [2, 1])
        // Ties: the first index, like PyTorch.
        let tied = try Tensor([2, 7, 7, 1])
        XCTAssertEqual(try tied.argmax().item(), 1)
        XCTAssertEqual(try tied.maxWithIndices(dim: 0).indices.item(), 1)
        // NaN propagates.
        XCTAssertTrue(try Tensor([1, .nan, 3]).max().item().isNaN)
        // A scalar reduces over dim 0 or -1 to itself.
        XCTAssertEqual(try Tensor(4).sum(dim: 0).item(), 4)
        XCTAssertEqual(try Tensor(4).max(dim: -1).item(), 4)
    }

    func testReductionErrors() {
        expectTensorError("sum: dimension out of range (expected to be in range of [-2, 1], but got 2)") { try self.x.sum(dim: 2) }
        expectTensorError("mean: dimension out of range (expected to be in range of [-2, 1], but got -3)") { try self.x.mean(dim: -3) }
        expectTensorError("sum: dim 1 appears multiple times in the list of dims [1, -1]") { try self.x.sum(dims: [1, -1]) }
        expectTensorError("max: expected reduction dim 1 to have non-zero size, got shape [2, 0]") { try Tensor.zeros([2, 0]).max(dim: 1) }
        expectTensorError("max: expected a non-empty tensor to reduce over all elements, got shape [0]") { try Tensor.zeros([0]).max() }
        expectTensorError("argmax: expected a non-empty tensor, got shape [0, 3]") { try Tensor.zeros([0, 3]).argmax() }
    }

    func testEmptyReductions() throws {
        XCTAssertEqual(try Tensor.zeros([0, 3]).sum().item(), 0)
        XCTAssertEqual(try Tensor.zeros([0, 3]).sum(dim: 0).scalars, [0, 0, 0])
        XCTAssertTrue(try Tensor.zeros([0]).mean().item().isNaN)
    }

    func testMaxGradientsFollowPyTorch() throws {
        // Full reduction: evenly shared among ties.
        let t = try Tensor([1, 3, 3, 2]).requiringGrad()
        try t.max().backward()
        XCTAssertEqual(t.grad?.scalars, [0, 0.5, 0.5, 0])
        // Along a dim: all to the selected (first) index.
        let u = try Tensor(shape: [2, 2], scalars: [3, 3, 1, 2]).requiringGrad()
        try u.max(dim: 1).sum().backward()
        XCTAssertEqual(u.grad?.scalars, [1, 0, 0, 1])
        let v = try Tensor([4, 1, 1]).requiringGrad()
        try v.min().backward()
        XCTAssertEqual(v.grad?.scalars, [0, 0.5, 0.5])
    }

    func testGradients() throws {
        let a = try Tensor(shape: [2, 3, 2], scalars: [0.5, -1.2, 2.0, 0.3, 1.1, -0.7, 0.9, 1.7, -0.4, 0.2, -2.2, 1.3])
        try assertGradientsMatch([a]) { try $0[0].sum() }
        try assertGradientsMatch([a]) { try $0[0].sum(dim: 1) }
        try assertGradientsMatch([a]) { try $0[0].sum(dim: -1, keepDim: true) }
        try assertGradientsMatch([a]) { try $0[0].sum(dims: [0, 2]) }
        try assertGradientsMatch([a]) { try $0[0].mean() }
        try assertGradientsMatch([a]) { try $0[0].mean(dim: 0) }
        try assertGradientsMatch([a]) { try $0[0].mean(dims: [0, 2], keepDim: true) }
        try assertGradientsMatch([a]) { try $0[0].max() }
        try assertGradientsMatch([a]) { try $0[0].min() }
        try assertGradientsMatch([a]) { try $0[0].max(dim: 1) }
        try assertGradientsMatch([a]) { try $0[0].min(dim: 2, keepDim: true) }
        try assertGradientsMatch([a]) { try $0[0].maxWithIndices(dim: 0).values }
    }

    func testMetaShapes() throws {
        let m = try Tensor(metaShape: [4, 5, 6])
        XCTAssertTrue(try m.sum(dim: 1).isMeta)
        XCTAssertEqual(try m.sum(dim: 1).shape, [4, 6])
        XCTAssertEqual(try m.mean(dims: [0, 2], keepDim: true).shape, [1, 5, 1])
        XCTAssertEqual(try m.sum().shape, [])
        XCTAssertEqual(try m.max(dim: -1).shape, [4, 5])
        XCTAssertEqual(try m.argmax(dim: 0).shape, [5, 6])
        XCTAssertTrue(try m.argmax(dim: 0).isMeta)
        XCTAssertTrue(try m.max().isMeta)
    }
}
