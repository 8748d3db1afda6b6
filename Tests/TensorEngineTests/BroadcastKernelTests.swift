import XCTest
@testable import TensorEngine

/// The vectorised elementwise paths (equal shapes, a scalar side, coalesced broadcasting)
/// against a naive index-by-index reference.
final class BroadcastKernelTests: XCTestCase {
    /// `a op b` computed one output index at a time from the broadcast rules.
    private func reference(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) throws -> [Float] {
        let shape = try broadcastShapes(a.shape, b.shape, operation: "reference")
        let sa = broadcastStrides(of: a.shape, to: shape), sb = broadcastStrides(of: b.shape, to: shape)
        let count = shape.reduce(1, *)
        let x = a.scalars, y = b.scalars
        var out: [Float] = []
        for linear in 0..<count {
            var rest = linear, offA = 0, offB = 0
            for axis in stride(from: shape.count - 1, through: 0, by: -1) {
                let i = rest % shape[axis]
                rest /= shape[axis]
                offA += i * sa[axis]
                offB += i * sb[axis]
            }
            out.append(f(x[offA], y[offB]))
        }
        return out
    }

    private func ramp(_ shape: [Int], _ start: Float) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor(shape: shape, scalars: (0..<n).map { start + Float($0) * 0.25 })
    }

    func testBroadcastPatternsMatchReference() throws {
        let pairs: [([Int], [Int])] = [
            ([2, 3, 4, 5], [3, 1, 1]),        // bias over channels
            ([2, 3, 4, 5], [1, 3, 1, 1]),
            ([4, 10], [10]),                  // linear bias
            ([3, 1], [1, 4]),                 // outer product
            ([1, 4], [3, 1]),
            ([2, 3, 4], [2, 1, 4]),           // broadcast in the middle
            ([2, 1, 4], [2, 3, 4]),
            ([5], [1]),                       // scalar-like sides
            ([1], [5]),
            ([], [2, 2]),
            ([2, 3], [1, 2, 3]),              // equal counts, different ranks
            ([2, 0, 3], [3]),                 // empty
            ([1, 1, 6], [6, 1, 1]),
        ]
        for (sa, sb) in pairs {
            let a = try ramp(sa, -1), b = try ramp(sb, 0.5)
            XCTAssertEqual(try (a + b).scalars, try reference(a, b, +), "\(sa) + \(sb)")
            XCTAssertEqual(try (a - b).scalars, try reference(a, b, -), "\(sa) - \(sb)")
            XCTAssertEqual(try (a * b).scalars, try reference(a, b, *), "\(sa) * \(sb)")
            XCTAssertEqual(try (b / a).scalars, try reference(b, a, /), "\(sb) / \(sa)")
            XCTAssertEqual(try (a + b).shape, try broadcastShapes(sa, sb, operation: "test"))
        }
    }

    func testScalarOperandsAndSumToShape() throws {
        let a = try ramp([3, 4], 1)
        XCTAssertEqual(try (a * 2).scalars, a.scalars.map { $0 * 2 })
        XCTAssertEqual(try (2 - a).scalars, a.scalars.map { 2 - $0 })
        let x = try ramp([2, 3, 4, 5], 0)
        // The bias gradient: sums over every axis but the channel.
        let summed = try x.sum(toShape: [3, 1, 1]).scalars
        var expected = [Float](repeating: 0, count: 3)
        for (i, v) in x.scalars.enumerated() { expected[(i / 20) % 3] += v }
        XCTAssertEqual(summed, expected)
        XCTAssertEqual(try x.sum(toShape: [4, 1]).shape, [4, 1])
    }

    func testPermuteStillWalksStrides() throws {
        let x = try ramp([2, 3, 4], 0)
        let p = try x.permute([2, 0, 1])
        XCTAssertEqual(p.shape, [4, 2, 3])
        let values = x.scalars
        var expected: [Float] = []
        for k in 0..<4 { for i in 0..<2 { for j in 0..<3 { expected.append(values[i * 12 + j * 4 + k]) } } }
        XCTAssertEqual(p.scalars, expected)
    }

    func testReluBackwardPassesGradientWherePositive() throws {
        let x = try Tensor(shape: [5], scalars: [-2, -0.5, 0, 0.5, 3]).requiringGrad()
        let y = try x.relu()
        XCTAssertEqual(y.scalars, [0, 0, 0, 0.5, 3])
        try y.backward(gradient: try Tensor(shape: [5], scalars: [1, 2, 3, 4, 5]))
        XCTAssertEqual(x.grad?.scalars, [0, 0, 0, 4, 5])
    }
}
