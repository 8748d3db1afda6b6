import XCTest
@testable import TensorEngine

final class IndexingTests: XCTestCase {
    // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    let x = try! Tensor.arange(12, dtype: .float32).reshape(3, 4)

    func testRead() throws {
        XCTAssertEqual(try x.slice([1]).scalars, [4, 5, 6, 7])
        XCTAssertEqual(try x.slice([1]).shape, [4])
        XCTAssertEqual(try x.slice([-1, -2]).shape, [])
        XCTAssertEqual(try x.slice([-1, -2]).item(), 10)
        XCTAssertEqual(try x.slice([.all, 2]).scalars, [2, 6, 10])
        XCTAssertEqual(try x.slice([TensorIndex(0..<2), TensorIndex(1..<3)]).scalars, [1, 2, 5, 6])
        XCTAssertEqual(try x.slice([TensorIndex(1...2), TensorIndex(2...)]).scalars, [6, 7, 10, 11])
        XCTAssertEqual(try x.slice([TensorIndex(..<1)]).shape, [1, 4])
        XCTAssertEqual(try x.slice([.all, TensorIndex(...1)]).scalars, [0, 1, 4, 5, 8, 9])
        XCTAssertEqual(try x.slice([.range(-2, nil, closed: false), .range(nil, -1, closed: false)]).scalars, [4, 5, 6, 8, 9, 10])
        XCTAssertEqual(try x.slice([.range(0, -1, closed: true)]).shape, [3, 4])
        // Out-of-range bounds are clamped, like PyTorch; an inverted range is empty.
        XCTAssertEqual(try x.slice([.range(1, 100, closed: false)]).shape, [2, 4])
        XCTAssertEqual(try x.slice([.range(2, 1, closed: false)]).shape, [0, 4])
        XCTAssertEqual(try x[1, TensorIndex(1..<3)].scalars, [5, 6])
        // Whole selections share storage.
        XCTAssertTrue(try x.slice([.all]).storage === x.storage)
        XCTAssertEqual(try Tensor.arange(3).slice([1]).dtype, .int64)
        XCTAssertEqual(try Tensor(7).slice([]).item(), 7)
    }

    func testReadFourDimensions() throws {
        let t = try Tensor.arange(2 * 3 * 4 * 5, dtype: .float32).reshape(2, 3, 4, 5)
        let s = try t.slice([1, TensorIndex(0..<3), TensorIndex(1..<3), TensorIndex(2..<4)])
        XCTAssertEqual(s.shape, [3, 2, 2])
        var expected: [Float] = []
        for c in 0..<3 { for h in 1..<3 { for w in 2..<4 { expected.append(Float(60 + c * 20 + h * 5 + w)) } } }
        XCTAssertEqual(s.scalars, expected)
    }

    func testIndexErrors() {
        expectTensorError("index 5 is out of bounds for dimension 0 with size 3") { try self.x.slice([5]) }
        expectTensorError("index -5 is out of bounds for dimension 1 with size 4") { try self.x.slice([0, -5]) }
        expectTensorError("index: too many indices for tensor of dimension 2 (got 3), shape [3, 4]") { try self.x.slice([0, 0, 0]) }
        expectTensorError("index_put: shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 2]") {
            try self.x.replacing([TensorIndex(0..<2), TensorIndex(0..<2)], with: Tensor([1, 2, 3]))
        }
        var y = x
        expectTensorError("index 3 is out of bounds for dimension 0 with size 3") { try y.assign([3], 1) }
    }

    func testWrite() throws {
        let y = try x.replacing([1, 2], with: 100)
        XCTAssertEqual(y.scalars[6], 100)
        XCTAssertEqual(x.scalars[6], 6, "replacing leaves the original alone")
        var z = x
        try z.assign([.all, TensorIndex(1..<3)], Tensor(shape: [2], scalars: [-1, -2]))
        XCTAssertEqual(z.scalars, [0, -1, -2, 3, 4, -1, -2, 7, 8, -1, -2, 11])
        XCTAssertEqual(x.scalars[1], 1, "a written copy does not change the tensor it came from")
        try z.assign([0], Tensor(shape: [1, 4], scalars: [9, 9, 9, 9]))
        XCTAssertEqual(Array(z.scalars[0..<4]), [9, 9, 9, 9])
        try z.assign([TensorIndex(1...)], try Tensor.zeros([2, 4]))
        XCTAssertEqual(Array(z.scalars[4...]), [Float](repeating: 0, count: 8))
        // Writing floats into an integer tensor truncates, like PyTorch.
        var ints = try Tensor.arange(3)
        try ints.assign([0], 2.7)
        XCTAssertEqual(ints.scalars, [2, 1, 2])
        XCTAssertEqual(ints.dtype, .int64)
        // Without autograd, a write to a uniquely held tensor happens in place (no copy).
        var inPlace = try Tensor.zeros([4, 4])
        let address = inPlace.storage.pointer
        try inPlace.assign([2, 3], 5)
        XCTAssertEqual(inPlace.storage.pointer, address)
        XCTAssertEqual(inPlace.scalars[11], 5)
        // A hand-written cross-correlation: one slice per output element, written one by one.
        let input = try Tensor.arange(9, dtype: .float32).reshape(3, 3)
        let kernel = try Tensor(shape: [2, 2], scalars: [0, 1, 2, 3])
        var output = try Tensor.zeros([2, 2])
        for i in 0..<2 {
            for j in 0..<2 {
                try output.assign([.at(i), .at(j)], (input.slice([TensorIndex(i..<i + 2), TensorIndex(j..<j + 2)]) * kernel).sum())
            }
        }
        XCTAssertEqual(output.scalars, [19, 25, 37, 43])
    }

    func testWriteIsTrackedByAutograd() throws {
        let base = try Tensor.ones([2, 3]).requiringGrad()
        let value = try Tensor([5, 7]).requiringGrad()
        var y = try base * 2
        try y.assign([.all, 1], value)
        XCTAssertEqual(y.gradFunctionName, "CopySlices")
        XCTAssertEqual(y.scalars, [2, 5, 2, 2, 7, 2])
        try (y * Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])).sum().backward()
        XCTAssertEqual(base.grad?.scalars, [2, 0, 6, 8, 0, 12])
        XCTAssertEqual(value.grad?.scalars, [2, 5])
        // A broadcast value gets the sum of its gradients.
        let scalar = try Tensor(3).requiringGrad()
        try base.detach().replacing([TensorIndex(0..<2), TensorIndex(0..<2)], with: scalar).sum().backward()
        XCTAssertEqual(try scalar.grad?.item(), 4)
    }

    func testGradients() throws {
        let a = try Tensor(shape: [3, 4], scalars: [0.5, -1.2, 2.0, 0.3, 1.1, -0.7, 0.9, 1.7, -0.4, 0.2, -2.2, 1.3])
        let v = try Tensor(shape: [2], scalars: [0.7, -0.3])
        try assertGradientsMatch([a]) { try $0[0].slice([1]) }
        try assertGradientsMatch([a]) { try $0[0].slice([.all, TensorIndex(1..<3)]) }
        try assertGradientsMatch([a]) { try $0[0].slice([-1, -1]) }
        try assertGradientsMatch([a, v]) { try $0[0].replacing([TensorIndex(1...2), 0], with: $0[1]) }
        try assertGradientsMatch([a, v]) { try $0[0].replacing([0, TensorIndex(2...)], with: $0[1] * $0[1]) }
        try assertGradientsMatch([a, try Tensor(0.25)]) { try $0[0].replacing([.all, 3], with: $0[1]) }
        try assertGradientsMatch([a, v]) { xs in
            var y = try xs[0] * 1
            try y.assign([2, TensorIndex(0..<2)], xs[1])
            return y
        }
    }

    func testMeta() throws {
        let m = try Tensor(metaShape: [8, 3, 28, 28])
        let s = try m.slice([0, .all, TensorIndex(0..<5)])
        XCTAssertTrue(s.isMeta)
        XCTAssertEqual(s.shape, [3, 5, 28])
        let w = try m.replacing([0], with: Tensor.zeros([28]))
        XCTAssertTrue(w.isMeta)
        XCTAssertEqual(w.shape, [8, 3, 28, 28])
    }
}
