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

final class ElementwiseGradientTests: XCTestCase {
    let a = try! Tensor(shape: [2, 3], scalars: [0.5, -1.2, 2.0, 0.3, 1.1, -0.7])
    let b = try! Tensor(shape: [3], scalars: [1.5, 0.8, -2.0])

    func testBinaryOperators() throws {
        try assertGradientsMatch([a, b]) { try $0[0] + $0[1] }
        try assertGradientsMatch([a, b]) { try $0[0] - $0[1] }
        try assertGradientsMatch([a, b]) { try $0[0] * $0[1] }
        try assertGradientsMatch([a, b]) { try $0[0] / $0[1] }
        try assertGradientsMatch([a]) { -$0[0] }
    }

    func testUnaryFunctions() throws {
        let positive = try a.abs() + 0.5
        try assertGradientsMatch([a]) { try $0[0].exp() }
        try assertGradientsMatch([positive]) { try $0[0].log() }
        try assertGradientsMatch([positive]) { try $0[0].sqrt() }
        try assertGradientsMatch([positive]) { try $0[0].pow(3) }
        try assertGradientsMatch([positive, b]) { try $0[0].pow($0[1]) }
        try assertGradientsMatch([a]) { try $0[0].abs() }
        try assertGradientsMatch([a]) { try $0[0].relu() }
        try assertGradientsMatch([a]) { try $0[0].sigmoid() }
        try assertGradientsMatch([a]) { try $0[0].tanh() }
        try assertGradientsMatch([a]) { try $0[0].clamp(min: -1, max: 1) }
        try assertGradientsMatch([a]) { try $0[0].broadcast(to: [4, 2, 3]) }
    }

    func testComparisonsAreBoolean() throws {
        let mask = try a .> Tensor(0)
        XCTAssertEqual(mask.dtype, .bool)
        XCTAssertEqual(mask.scalars, [1, 0, 1, 1, 1, 0])
    }
}
