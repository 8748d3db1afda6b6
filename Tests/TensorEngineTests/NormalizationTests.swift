import XCTest
@testable import TensorEngine

final class BatchNormalizationTests: XCTestCase {
    let batch = try! Tensor(shape: [4, 3], scalars: [1, 2, 3, 4, 6, 5, 0, -1, 2, 3, 3, 3])

    func testTrainingNormalisesAndUpdatesRunningStatistics() throws {
        var mean: Tensor? = try Tensor.zeros([3])
        var variance: Tensor? = try Tensor.ones([3])
        let y = try batchNorm(batch, runningMean: &mean, runningVar: &variance,
                              weight: Tensor(shape: [3], scalars: [1, 2, 0.5]), bias: Tensor(shape: [3], scalars: [0, 1, -1]),
                              training: true)
        // Reference values from torch.nn.functional.batch_norm.
        assertClose(y.scalars, [-0.632454, 0.6, -1.114707, 1.264909, 3.799998, -0.197048,
                                -1.264909, -1.799998, -1.573537, 0.632454, 1.4, -1.114707])
        assertClose(try XCTUnwrap(mean).scalars, [0.2, 0.25, 0.325])
        // The running variance takes the unbiased batch variance.
        assertClose(try XCTUnwrap(variance).scalars, [1.233333, 1.733333, 1.058333])

        let evaluated = try batchNorm(batch, runningMean: &mean, runningVar: &variance, training: false)
        assertClose(evaluated.scalars, [0.720357, 1.329216, 2.600222, 3.421697, 4.367426, 4.544314,
                                        -0.180089, -0.949440, 1.628177, 2.521251, 2.088769, 2.600222])
    }

    func testFourDimensionalInputPerChannel() throws {
        var none: Tensor? = nil, noneVar: Tensor? = nil
        let x = try sampleTensor([3, 2, 4, 5])
        let y = try batchNorm(x, runningMean: &none, runningVar: &noneVar, training: true)
        let s = y.scalars
        for c in 0..<2 {
            var values: [Float] = []
            for n in 0..<3 { values += s[((n * 2 + c) * 20)..<((n * 2 + c + 1) * 20)] }
            let mean = values.reduce(0, +) / Float(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)
            XCTAssertEqual(mean, 0, accuracy: 1e-5)
            XCTAssertEqual(variance, 1, accuracy: 1e-3)
        }
    }

    func testErrors() {
        var m: Tensor? = nil, v: Tensor? = nil
        assertThrowsMessage("expected more than 1 value per channel when training") {
            try batchNorm(try Tensor.zeros([1, 4]), runningMean: &m, runningVar: &v, training: true)
        }
        assertThrowsMessage("expected weight of shape [3]") {
            try batchNorm(self.batch, runningMean: &m, runningVar: &v, weight: try Tensor.ones([4]), training: true)
        }
    }

    func testTrainingGradients() throws {
        let weight = try Tensor(shape: [3], scalars: [1, 2, 0.5]), bias = try Tensor(shape: [3], scalars: [0, 1, -1])
        try assertGradientsMatch([batch, weight, bias]) { xs in
            var m: Tensor? = nil, v: Tensor? = nil
            return try batchNorm(xs[0], runningMean: &m, runningVar: &v, weight: xs[1], bias: xs[2], training: true)
        }
        try assertGradientsMatch([try sampleTensor([2, 2, 3, 3]), try Tensor(shape: [2], scalars: [1.5, -0.5]), try Tensor(shape: [2], scalars: [0.1, 0.2])]) { xs in
            var m: Tensor? = try Tensor.zeros([2]), v: Tensor? = try Tensor.ones([2])
            return try batchNorm(xs[0], runningMean: &m, runningVar: &v, weight: xs[1], bias: xs[2], training: true)
        }
    }

    func testEvaluationGradients() throws {
        try assertGradientsMatch([try sampleTensor([2, 2, 3, 3]), try Tensor(shape: [2], scalars: [1.5, -0.5])]) { xs in
            var m: Tensor? = try Tensor(shape: [2], scalars: [0.1, -0.2]), v: Tensor? = try Tensor(shape: [2], scalars: [0.5, 2])
            return try batchNorm(xs[0], runningMean: &m, runningVar: &v, weight: xs[1], training: false)
        }
    }
}
