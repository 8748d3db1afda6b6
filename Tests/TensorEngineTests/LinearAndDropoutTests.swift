import XCTest
@testable import TensorEngine

final class LinearAndDropoutTests: XCTestCase {
    func testLinearValues() throws {
        let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let w = try Tensor(shape: [2, 3], scalars: [1, 0, -1, 0.5, 0.5, 0.5])
        let b = try Tensor(shape: [2], scalars: [10, 20])
        let y = try linear(x, weight: w, bias: b)
        XCTAssertEqual(y.shape, [2, 2])
        XCTAssertEqual(y.scalars, [8, 23, 8, 27.5])
        XCTAssertEqual(try linear(x, weight: w).scalars, [-2, 3, -2, 7.5])
    }

    func testLinearLeadingDimensionsAndVector() throws {
        let w = try sampleTensor([5, 4])
        XCTAssertEqual(try linear(try sampleTensor([2, 3, 4]), weight: w).shape, [2, 3, 5])
        XCTAssertEqual(try linear(try sampleTensor([4]), weight: w).shape, [5])
        let meta = try linear(Tensor(metaShape: [64, 320]), weight: try Tensor.zeros([10, 320]))
        XCTAssertTrue(meta.isMeta)
        XCTAssertEqual(meta.shape, [64, 10])
    }

    func testLinearErrors() {
        assertThrowsMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 5x4)") {
            try linear(try Tensor.zeros([2, 3]), weight: try Tensor.zeros([4, 5]))
        }
        assertThrowsMessage("expected bias of shape [4]") {
            try linear(try Tensor.zeros([2, 5]), weight: try Tensor.zeros([4, 5]), bias: try Tensor.zeros([5]))
        }
    }

    func testLinearGradients() throws {
        try assertGradientsMatch([try sampleTensor([3, 4]), try sampleTensor([2, 4], seed: 2), try sampleTensor([2], seed: 3)]) {
            try linear($0[0], weight: $0[1], bias: $0[2])
        }
        try assertGradientsMatch([try sampleTensor([2, 2, 3]), try sampleTensor([4, 3], seed: 2)]) {
            try linear($0[0], weight: $0[1])
        }
    }

    func testDropoutScalesAndIsSeeded() throws {
        let x = try Tensor.ones([1000])
        manualSeed(42)
        let a = try x.dropout(p: 0.5, training: true)
        manualSeed(42)
        let b = try x.dropout(p: 0.5, training: true)
        XCTAssertEqual(a.scalars, b.scalars)
        XCTAssertTrue(a.scalars.allSatisfy { $0 == 0 || $0 == 2 })
        let dropped = a.scalars.filter { $0 == 0 }.count
        XCTAssertGreaterThan(dropped, 430)
        XCTAssertLessThan(dropped, 570)
        XCTAssertEqual(try x.dropout(p: 0.5, training: false).scalars, x.scalars)
        XCTAssertEqual(try x.dropout(p: 1, training: true).scalars, [Float](repeating: 0, count: 1000))
        assertThrowsMessage("dropout probability has to be between 0 and 1, but got 1.5") { try x.dropout(p: 1.5) }
    }

    func testDropoutGradientIsTheMask() throws {
        let x = try sampleTensor([20]).requiringGrad()
        manualSeed(3)
        let y = try x.dropout(p: 0.3)
        try y.backward(gradient: try Tensor.ones([20]))
        let mask = zip(y.scalars, x.scalars).map { $0.0 == 0 ? Float(0) : Float(1 / 0.7) }
        assertClose(try XCTUnwrap(x.grad).scalars, mask)
    }
}
