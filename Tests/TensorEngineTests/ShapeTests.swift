import XCTest
@testable import TensorEngine

final class ShapeTests: XCTestCase {
    let x = try! Tensor.arange(6, dtype: .float32).reshape(2, 3)

    func testReshapeSharesStorage() throws {
        let y = try x.reshape(3, -1)
        XCTAssertEqual(y.shape, [3, 2])
        XCTAssertTrue(y.storage === x.storage)
        XCTAssertEqual(try x.view([-1]).shape, [6])
        XCTAssertEqual(try x.reshape([1, 1, 2, 3]).scalars, x.scalars)
        // Writing to the reshaped copy does not change the original (copy-on-write).
        var z = try x.reshape(6)
        try z.withUnsafeMutableBufferPointer { $0[0] = 100 }
        XCTAssertEqual(x.scalars[0], 0)
        XCTAssertEqual(try Tensor(5).reshape(1, 1).shape, [1, 1])
        XCTAssertEqual(try Tensor.zeros([0, 3]).reshape(-1, 3).shape, [0, 3])
    }

    func testReshapeErrors() {
        expectTensorError("reshape: cannot view [2, 3] (6 elements) as [4, -1]") { try self.x.reshape(4, -1) }
        expectTensorError("view: cannot view [2, 3] (6 elements) as [5]") { try self.x.view(5) }
        expectTensorError("reshape: only one dimension can be inferred, got [-1, -1]") { try self.x.reshape(-1, -1) }
        expectTensorError("reshape: invalid shape dimension -2 in [-2, 3]") { try self.x.reshape(-2, 3) }
        expectTensorError("reshape: cannot view [0, 3] (0 elements) as [-1, 0]") { try Tensor.zeros([0, 3]).reshape(-1, 0) }
    }

    func testFlatten() throws {
        let t = try Tensor.zeros([2, 3, 4, 5])
        XCTAssertEqual(try t.flatten().shape, [120])
        XCTAssertEqual(try t.flatten(startDim: 1).shape, [2, 60])
        XCTAssertEqual(try t.flatten(startDim: 1, endDim: 2).shape, [2, 12, 5])
        XCTAssertEqual(try t.flatten(startDim: -2).shape, [2, 3, 20])
        XCTAssertEqual(try Tensor(3).flatten().shape, [1])
        expectTensorError("flatten: start_dim (2) cannot come after end_dim (1) for shape [2, 3, 4, 5]") { try t.flatten(startDim: 2, endDim: 1) }
        expectTensorError("flatten: dimension out of range (expected to be in range of [-4, 3], but got 4)") { try t.flatten(startDim: 4) }
    }

    func testSqueezeUnsqueeze() throws {
        let t = try Tensor.zeros([1, 3, 1, 2])
        XCTAssertEqual(t.squeeze().shape, [3, 2])
        XCTAssertEqual(try t.squeeze(dim: 2).shape, [1, 3, 2])
        XCTAssertEqual(try t.squeeze(dim: 1).shape, [1, 3, 1, 2], "a non-1 dimension is left alone, like PyTorch")
        XCTAssertEqual(try t.squeeze(dim: -4).shape, [3, 1, 2])
        XCTAssertEqual(try x.unsqueeze(0).shape, [1, 2, 3])
        XCTAssertEqual(try x.unsqueeze(2).shape, [2, 3, 1])
        XCTAssertEqual(try x.unsqueeze(dim: -1).shape, [2, 3, 1])
        XCTAssertEqual(try Tensor(1).unsqueeze(0).shape, [1])
        expectTensorError("unsqueeze: dimension out of range (expected to be in range of [-3, 2], but got 3)") { try self.x.unsqueeze(3) }
        expectTensorError("squeeze: dimension out of range (expected to be in range of [-4, 3], but got 5)") { try t.squeeze(dim: 5) }
    }

    func testPermuteAndTranspose() throws {
        XCTAssertEqual(try x.transpose(0, 1).scalars, [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(try x.transposed().shape, [3, 2])
        XCTAssertEqual(try x.transpose(-1, -2).scalars, [0, 3, 1, 4, 2, 5])
        let t = try Tensor.arange(24, dtype: .float32).reshape(2, 3, 4)
        let p = try t.permute(2, 0, 1)
        XCTAssertEqual(p.shape, [4, 2, 3])
        // p[i, j, k] = t[j, k, i] = 12 j + 4 k + i
        XCTAssertEqual(Array(p.scalars[0..<6]), [0, 4, 8, 12, 16, 20])
        XCTAssertEqual(Array(p.scalars[6..<12]), [1, 5, 9, 13, 17, 21])
        XCTAssertEqual(try p.permute([1, 2, 0]).scalars, t.scalars)
        // A large transpose goes through the tiled path.
        let big = try Tensor.arange(70 * 45, dtype: .float32).reshape(70, 45)
        let bt = try big.transposed()
        XCTAssertEqual(bt.shape, [45, 70])
        XCTAssertEqual(bt.scalars[1 * 70 + 2], big.scalars[2 * 45 + 1])
        XCTAssertEqual(try bt.transposed().scalars, big.scalars)
        // Moving size-1 dimensions keeps the storage.
        let ones = try Tensor.zeros([1, 4, 1])
        XCTAssertTrue(try ones.permute(2, 1, 0).storage === ones.storage)
        XCTAssertEqual(try Tensor.arange(3).permute(0).dtype, .int64)
        expectTensorError("permute: number of dims don't match: the tensor has 3 dimensions (shape [2, 3, 4]) but 2 were given [1, 0]") { try t.permute(1, 0) }
        expectTensorError("permute: repeated dim 0 in [0, 0, 1]") { try t.permute(0, 0, 1) }
        expectTensorError("transpose: dimension out of range (expected to be in range of [-2, 1], but got 2)") { try self.x.transpose(0, 2) }
        expectTensorError("t: expects a tensor with <= 2 dimensions, but got shape [2, 3, 4]") { try t.transposed() }
    }

    func testExpand() throws {
        let col = try Tensor(shape: [2, 1], scalars: [1, 2])
        let e = try col.expand(2, 3)
        XCTAssertEqual(e.scalars, [1, 1, 1, 2, 2, 2])
        XCTAssertEqual(try col.expand(3, -1, 2).shape, [3, 2, 2])
        XCTAssertEqual(try col.expand([-1, 4]).shape, [2, 4])
        expectTensorError("expand: the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2), shape [2, 1]") { try col.expand(3) }
        expectTensorError("expand: the expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0") { try col.expand(-1, 2, 1) }
        expectTensorError("expand: the expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0. Target sizes: [3, 3]. Tensor sizes: [2, 1]") { try col.expand(3, 3) }
        let meta = try Tensor(metaShape: [2, 1]).expand(2, 5)
        XCTAssertTrue(meta.isMeta); XCTAssertEqual(meta.shape, [2, 5])
    }

    func testMetaShapes() throws {
        let m = try Tensor(metaShape: [2, 3, 4])
        XCTAssertEqual(try m.reshape(6, -1).shape, [6, 4])
        XCTAssertTrue(try m.reshape(6, -1).isMeta)
        XCTAssertEqual(try m.permute(2, 0, 1).shape, [4, 2, 3])
        XCTAssertTrue(try m.permute(2, 0, 1).isMeta)
        XCTAssertEqual(try m.transpose(0, 2).shape, [4, 3, 2])
        XCTAssertEqual(try m.flatten(startDim: 1).shape, [2, 12])
        XCTAssertEqual(try m.unsqueeze(1).shape, [2, 1, 3, 4])
    }

    func testGradients() throws {
        let a = try Tensor(shape: [2, 3, 2], scalars: [0.5, -1.2, 2.0, 0.3, 1.1, -0.7, 0.9, 1.7, -0.4, 0.2, -2.2, 1.3])
        try assertGradientsMatch([a]) { try $0[0].reshape(3, -1) }
        try assertGradientsMatch([a]) { try $0[0].view(12) }
        try assertGradientsMatch([a]) { try $0[0].flatten(startDim: 1) }
        try assertGradientsMatch([a]) { try $0[0].permute(2, 0, 1) }
        try assertGradientsMatch([a]) { try $0[0].transpose(0, 2) }
        try assertGradientsMatch([a]) { try $0[0].unsqueeze(1).squeeze() }
        try assertGradientsMatch([a]) { try $0[0].unsqueeze(0).squeeze(dim: 0) }
        try assertGradientsMatch([a]) { try $0[0].reshape(2, 1, 6).expand(2, 4, 6) }
        try assertGradientsMatch([a]) { try $0[0].expand(3, -1, -1, -1) }
    }

    func testGradFunctionNames() throws {
        let a = try Tensor.ones([2, 3]).requiringGrad()
        XCTAssertEqual(try a.reshape(3, 2).gradFunctionName, "ViewBackward")
        XCTAssertEqual(try a.permute(1, 0).gradFunctionName, "PermuteBackward")
        XCTAssertEqual(try a.transpose(0, 1).gradFunctionName, "TransposeBackward")
    }
}
