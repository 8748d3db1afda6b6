import XCTest
@testable import TensorEngine

/// The "silently wrong" items 4 and 7 of issue #13: edge values and target kinds where the
/// engine used to differ from PyTorch. Every expected value is what torch 2.15 (CPU) prints
/// for the PyTorch line in the comment beside it.
final class PyTorchEdgeValueTests: XCTestCase {
    func testCrossEntropyWithFloatTargetsOfTheLogitsShapeTakesProbabilities() throws {
        let logits = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 0, -1000])
        let targets = try Tensor(shape: [2, 3], scalars: [0.1, 0.2, 0.7, 0.5, 0.5, 0])
        // F.cross_entropy(x, t, reduction='none') == -(t * log_softmax(x, 1)).sum(1)
        // torch: [0.80760592, 500.0]; mean 250.40381; sum 500.80762
        assertClose(try crossEntropy(logits, targets, reduction: .none).scalars, [0.80760592, 500], accuracy: 1e-4)
        XCTAssertEqual(try crossEntropy(logits, targets).item(), 250.40381, accuracy: 1e-3)
        XCTAssertEqual(try crossEntropy(logits, targets, reduction: .sum).item(), 500.80762, accuracy: 1e-3)
        // d/dx of the mean: (softmax(x) * t.sum(1) - t) / N
        // torch: [[-0.00498471, 0.02236424, -0.01737949], [0.25, -0.25, 0.0]]
        let tracked = logits.requiringGrad()
        try crossEntropy(tracked, targets).backward()
        assertClose(try XCTUnwrap(tracked.grad).scalars, [-0.00498471, 0.02236424, -0.01737949, 0.25, -0.25, 0], accuracy: 1e-5)
        try assertGradientsMatch([try sampleTensor([3, 4])]) {
            try crossEntropy($0[0], Tensor(shape: [3, 4], scalars: [0.1, 0.2, 0.3, 0.4, 1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25]), reduction: .none)
        }
        // The example, unbatched: F.cross_entropy(tensor([0.5, -1.0]), tensor([1.0, 2.0]))
        // torch: 3.6042402
        let single = try crossEntropy(Tensor(shape: [2], scalars: [0.5, -1]), Tensor(shape: [2], scalars: [1, 2]))
        XCTAssertEqual(try single.item(), 3.6042402, accuracy: 1e-5)
    }

    func testUnbatchedCrossEntropyWithoutReductionIsZeroDimensional() throws {
        // F.cross_entropy(tensor([1., 2., 3.]), tensor(0), reduction='none') -> tensor(2.4076), shape []
        let loss = try crossEntropy(Tensor(shape: [3], scalars: [1, 2, 3]), Tensor(0, dtype: .int64), reduction: .none)
        XCTAssertEqual(loss.shape, [])
        XCTAssertEqual(try loss.item(), 2.4076059, accuracy: 1e-5)
        let probabilities = try crossEntropy(Tensor(shape: [3], scalars: [1, 2, 3]), Tensor(shape: [3], scalars: [1, 0, 0]), reduction: .none)
        XCTAssertEqual(probabilities.shape, [])
    }

    func testReluKeepsNaNAndPassesItsGradient() throws {
        // torch.relu(tensor([nan, -1., 2.], requires_grad=True)) -> [nan, 0., 2.]; grad of sum -> [1., 0., 1.]
        // (threshold_backward zeroes the gradient only where the result is <= 0)
        let x = try Tensor(shape: [3], scalars: [.nan, -1, 2]).requiringGrad()
        let y = try x.relu()
        XCTAssertTrue(y.scalars[0].isNaN)
        XCTAssertEqual(Array(y.scalars[1...]), [0, 2])
        try y.sum().backward()
        XCTAssertEqual(try XCTUnwrap(x.grad).scalars, [1, 0, 1])
    }

    func testClampGradientIsZeroAtTheBoundExactly() throws {
        // x = tensor([-1., 0., 0.5, 1., 2.], requires_grad=True); x.clamp(0, 1).sum().backward()
        // torch: x.grad -> [0., 0., 1., 0., 0.]; with x.clamp(min=0) only: [0., 1., 1.] for [0., 1., 5.]
        let x = try Tensor(shape: [5], scalars: [-1, 0, 0.5, 1, 2]).requiringGrad()
        try x.clamp(min: 0, max: 1).sum().backward()
        XCTAssertEqual(try XCTUnwrap(x.grad).scalars, [0, 0, 1, 0, 0])
        let lowerOnly = try Tensor(shape: [3], scalars: [0, 1, 5]).requiringGrad()
        try lowerOnly.clamp(min: 0).sum().backward()
        XCTAssertEqual(try XCTUnwrap(lowerOnly.grad).scalars, [0, 1, 1])
    }

    func testPowerEdgeValues() throws {
        // torch.pow(tensor([-inf, 4.]), 0.5) -> [nan, 2.]; torch.pow(tensor([-inf, 4.]), -0.5) -> [nan, 0.5]
        let x = try Tensor(shape: [2], scalars: [-.infinity, 4])
        let root = try x.pow(0.5).scalars, inverseRoot = try x.pow(-0.5).scalars
        XCTAssertTrue(root[0].isNaN)
        XCTAssertEqual(root[1], 2)
        XCTAssertTrue(inverseRoot[0].isNaN)
        XCTAssertEqual(inverseRoot[1], 0.5)

        // x = tensor([0., 2.], requires_grad=True); x.pow(0.0).sum().backward() -> x.grad == [0., 0.]
        let z = try Tensor(shape: [2], scalars: [0, 2]).requiringGrad()
        try z.pow(0).sum().backward()
        XCTAssertEqual(try XCTUnwrap(z.grad).scalars, [0, 0])
        let zt = try Tensor(shape: [2], scalars: [0, 2]).requiringGrad()
        try zt.pow(Tensor(0)).sum().backward()
        XCTAssertEqual(try XCTUnwrap(zt.grad).scalars, [0, 0])

        // b = tensor([-2., 0., 2.]); e = tensor([2., 2., 2.], requires_grad=True)
        // torch.pow(b, e).sum().backward() -> e.grad == [nan, 0., 4*log(2) = 2.7725887]
        let e = try Tensor(shape: [3], scalars: [2, 2, 2]).requiringGrad()
        try Tensor(shape: [3], scalars: [-2, 0, 2]).pow(e).sum().backward()
        let de = try XCTUnwrap(e.grad).scalars
        XCTAssertTrue(de[0].isNaN)
        XCTAssertEqual(de[1], 0)
        XCTAssertEqual(de[2], 2.7725887, accuracy: 1e-5)
    }
}
