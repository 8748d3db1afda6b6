import XCTest
@testable import TensorEngine

/// Asserts that `body` throws a `TensorError` whose message is `expected` (or contains it,
/// when `exact` is false).
func expectTensorError(_ expected: String, exact: Bool = true, file: StaticString = #filePath, line: UInt = #line,
                       _ body: () throws -> Any) {
    do {
        let value = try body()
        XCTFail("expected the error \"\(expected)\", got a result: \(value)", file: file, line: line)
    } catch let error as TensorError {
        if exact {
            XCTAssertEqual(error.message, expected, file: file, line: line)
        } else {
            XCTAssertTrue(error.message.contains(expected), "\"\(error.message)\" does not contain \"\(expected)\"", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error type: \(error)", file: file, line: line)
    }
}

final class CreationTests: XCTestCase {
    func testNestedArrays() throws {
        let matrix = try Tensor(nested: .list([.list([.scalar(0), .scalar(1)]), .list([.scalar(2), .scalar(3)])]), dtype: .int64)
        XCTAssertEqual(matrix.shape, [2, 2])
        XCTAssertEqual(matrix.dtype, .int64)
        XCTAssertEqual(matrix.scalars, [0, 1, 2, 3])
        let scalar = try Tensor(nested: .scalar(2.5))
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(try scalar.item(), 2.5)
        let empty = try Tensor(nested: .list([]))
        XCTAssertEqual(empty.shape, [0])
        let cube = try Tensor(nested: .list([.list([.list([.scalar(1)]), .list([.scalar(2)])])]))
        XCTAssertEqual(cube.shape, [1, 2, 1])
    }

    func testRaggedNestedArraysSayWhere() {
        expectTensorError("tensor: expected sequence of length 2 at dim 1 (got 3)") {
            try Tensor(nested: .list([.list([.scalar(1), .scalar(2)]), .list([.scalar(3), .scalar(4), .scalar(5)])]))
        }
        expectTensorError("tensor: expected a sequence of length 1 at dim 1, got a number") {
            try Tensor(nested: .list([.list([.scalar(1)]), .scalar(2)]))
        }
        expectTensorError("tensor: expected a number at dim 1, got a sequence of length 1") {
            try Tensor(nested: .list([.scalar(1), .list([.scalar(2)])]))
        }
    }

    func testArange() throws {
        let a = try Tensor.arange(5)
        XCTAssertEqual(a.dtype, .int64)
        XCTAssertEqual(a.scalars, [0, 1, 2, 3, 4])
        let b = try Tensor.arange(1, 10, 3)
        XCTAssertEqual(b.scalars, [1, 4, 7])
        XCTAssertEqual(b.dtype, .int64)
        let c = try Tensor.arange(0.0, 1.0, 0.25)
        XCTAssertEqual(c.dtype, .float32)
        XCTAssertEqual(c.scalars, [0, 0.25, 0.5, 0.75])
        let d = try Tensor.arange(5, 0, -2)
        XCTAssertEqual(d.scalars, [5, 3, 1])
        XCTAssertEqual(try Tensor.arange(2.5).scalars, [0, 1, 2])
        XCTAssertEqual(try Tensor.arange(2.5).dtype, .float32)
        XCTAssertEqual(try Tensor.arange(3.0).dtype, .int64)
        XCTAssertEqual(try Tensor.arange(4, dtype: .float32).dtype, .float32)
        XCTAssertEqual(try Tensor.arange(0).shape, [0])
        expectTensorError("arange: step must be nonzero") { try Tensor.arange(0, 5, 0) }
        expectTensorError("arange: upper bound and larger bound inconsistent with step sign", exact: false) { try Tensor.arange(0, 5, -1) }
    }

    func testLinspaceAndEye() throws {
        XCTAssertEqual(try Tensor.linspace(0, 1, steps: 5).scalars, [0, 0.25, 0.5, 0.75, 1])
        XCTAssertEqual(try Tensor.linspace(3, 10, steps: 1).scalars, [3])
        XCTAssertEqual(try Tensor.linspace(3, 10, steps: 0).shape, [0])
        XCTAssertEqual(try Tensor.linspace(-1, 1, steps: 3).scalars, [-1, 0, 1])
        expectTensorError("linspace: number of steps must be non-negative, got -1") { try Tensor.linspace(0, 1, steps: -1) }
        let eye = try Tensor.eye(2, 3)
        XCTAssertEqual(eye.shape, [2, 3])
        XCTAssertEqual(eye.scalars, [1, 0, 0, 0, 1, 0])
        XCTAssertEqual(try Tensor.eye(2).scalars, [1, 0, 0, 1])
    }

    func testRandomIsSeededAndInRange() throws {
        manualSeed(42)
        let a = try Tensor.rand(4, 2, 3, 5)
        let n = try Tensor.randn([1000])
        let i = try Tensor.randint(3, 7, [200])
        manualSeed(42)
        XCTAssertEqual(try Tensor.rand([4, 2, 3, 5]).scalars, a.scalars)
        XCTAssertEqual(try Tensor.randn(1000).scalars, n.scalars)
        XCTAssertEqual(try Tensor.randint(3, 7, [200]).scalars, i.scalars)
        XCTAssertEqual(a.shape, [4, 2, 3, 5])
        XCTAssertTrue(a.scalars.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = n.scalars.reduce(0, +) / 1000
        let variance = n.scalars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 1000
        XCTAssertEqual(mean, 0, accuracy: 0.15)
        XCTAssertEqual(variance, 1, accuracy: 0.2)
        XCTAssertEqual(i.dtype, .int64)
        XCTAssertEqual(Set(i.scalars), [3, 4, 5, 6])
        XCTAssertTrue(try Tensor.randint(2, [50]).scalars.allSatisfy { $0 == 0 || $0 == 1 })
        expectTensorError("randint: expects 'from' to be less than 'to', but got from=5 >= to=5") { try Tensor.randint(5, 5, [2]) }
    }

    func testLikeConstructors() throws {
        let t = try Tensor.arange(6).reshape(2, 3)
        let z = try Tensor.zerosLike(t), o = try Tensor.onesLike(t), f = try Tensor.fullLike(t, 7)
        XCTAssertEqual(z.shape, [2, 3]); XCTAssertEqual(z.dtype, .int64); XCTAssertEqual(z.scalars, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(o.scalars, [1, 1, 1, 1, 1, 1])
        XCTAssertEqual(f.scalars, [7, 7, 7, 7, 7, 7])
        XCTAssertEqual(try Tensor([1, 2, 3]).shape, [3])
    }
}
