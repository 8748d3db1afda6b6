import XCTest
@testable import TensorEngine

final class ElementwiseTests: XCTestCase {
    func testBroadcastAddAndGradient() throws {
        let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).requiringGrad()
        let b = try Tensor(shape: [3], scalars: [10, 20, 30]).requiringGrad()
        let c = try a * b + a
        XCTAssertEqual(c.scalars, [11, 42, 93, 44, 105, 186])
        let s = try c.sum(toShape: [])
        try s.backward()
        XCTAssertEqual(a.grad?.scalars, [11, 21, 31, 11, 21, 31])
        XCTAssertEqual(b.grad?.scalars, [5, 7, 9])
    }
}
