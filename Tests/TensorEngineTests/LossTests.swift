import XCTest
@testable import TensorEngine

final class LossTests: XCTestCase {
    func testMeanSquaredError() throws {
        let a = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = try Tensor(shape: [2, 2], scalars: [1, 0, 0, 8])
        XCTAssertEqual(try mseLoss(a, b).item(), 29.0 / 4)
        XCTAssertEqual(try mseLoss(a, b, reduction: .sum).item(), 29)
        XCTAssertEqual(try mseLoss(a, b, reduction: .none).scalars, [0, 4, 9, 16])
        try assertGradientsMatch([a, b]) { try mseLoss($0[0], $0[1]) }
        assertThrowsMessage("mseLoss: input [2, 2] and target [3] cannot be broadcast") { try mseLoss(a, try Tensor.zeros([3])) }
    }

    func testCrossEntropyValuesAndStability() throws {
        let logits = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 0, -1000])
        let targets = try Tensor(shape: [2], scalars: [2, 1], dtype: .int64)
        // Reference values from torch.nn.functional.cross_entropy.
        XCTAssertEqual(try crossEntropy(logits, targets).item(), 500.203796, accuracy: 1e-3)
        assertClose(try crossEntropy(logits, targets, reduction: .none).scalars, [0.4076059, 1000])
        XCTAssertEqual(try crossEntropy(logits, targets, reduction: .sum).item(), 1000.4076, accuracy: 1e-2)
    }

    func testCrossEntropyGradientIsSoftmaxMinusOneHot() throws {
        let logits = try Tensor(shape: [1, 2], scalars: [0, 0]).requiringGrad()
        try crossEntropy(logits, Tensor(shape: [1], scalars: [1])).backward()
        XCTAssertEqual(try XCTUnwrap(logits.grad).scalars, [0.5, -0.5])
        try assertGradientsMatch([try sampleTensor([4, 5])]) {
            try crossEntropy($0[0], Tensor(shape: [4], scalars: [0, 4, 2, 2]))
        }
        try assertGradientsMatch([try sampleTensor([3, 4])]) {
            try crossEntropy($0[0], Tensor(shape: [3], scalars: [1, 3, 0]), reduction: .none)
        }
    }

    func testCrossEntropyErrors() {
        let logits = try! Tensor.zeros([2, 10])
        assertThrowsMessage("target 10 is out of bounds for 10 classes") {
            try crossEntropy(logits, try Tensor(shape: [2], scalars: [1, 10]))
        }
        assertThrowsMessage("target -1 is out of bounds") {
            try crossEntropy(logits, try Tensor(shape: [2], scalars: [-1, 0]))
        }
        assertThrowsMessage("expected targets of shape [2] (class indices) for logits [2, 10], got [3]") {
            try crossEntropy(logits, try Tensor.zeros([3]))
        }
        assertThrowsMessage("expected logits of shape [N, C]") {
            try crossEntropy(try Tensor.zeros([2, 3, 4]), try Tensor.zeros([2]))
        }
    }
}
