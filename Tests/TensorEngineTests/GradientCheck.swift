import XCTest
@testable import TensorEngine

/// Compares the analytic gradients of `f` at `inputs` with central finite differences.
///
/// `f` maps the inputs to a tensor of any shape; the check differentiates the sum of its
/// elements weighted by fixed pseudo-random coefficients, so that every output element
/// contributes with a different weight. Computations run in Float32, so the step and the
/// tolerance are sized for single precision.
func assertGradientsMatch(_ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float = 2e-2,
                          file: StaticString = #filePath, line: UInt = #line,
                          _ f: ([Tensor]) throws -> Tensor) throws {
    let tracked = inputs.map { $0.detach().requiringGrad() }
    let output = try f(tracked)
    var weights = RandomGenerator(seed: 12345)
    let coefficients = try Tensor(shape: output.shape, scalars: (0..<output.count).map { _ in weights.nextFloat() + 0.5 })
    func weightedSum(_ y: Tensor) throws -> Double {
        zip(y.scalars, coefficients.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    try (output * coefficients).sum(toShape: []).backward()

    for (which, input) in inputs.enumerated() {
        guard let analytic = tracked[which].grad?.scalars else {
            XCTFail("input \(which): no gradient reached it", file: file, line: line)
            continue
        }
        for i in 0..<input.count {
            var plus = input.detach(), minus = input.detach()
            try plus.withUnsafeMutableBufferPointer { $0[i] += epsilon }
            try minus.withUnsafeMutableBufferPointer { $0[i] -= epsilon }
            var argsPlus = inputs.map { $0.detach() }, argsMinus = argsPlus
            argsPlus[which] = plus
            argsMinus[which] = minus
            let numeric = try (weightedSum(noGrad { try f(argsPlus) }) - weightedSum(noGrad { try f(argsMinus) })) / (2 * Double(epsilon))
            let difference = Swift.abs(Double(analytic[i]) - numeric)
            let scale = max(1, Swift.abs(numeric))
            if difference > Double(tolerance) * scale {
                XCTFail("input \(which) element \(i): analytic \(analytic[i]) vs numeric \(numeric)", file: file, line: line)
                return
            }
        }
    }
}
