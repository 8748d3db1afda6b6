import XCTest
@testable import TensorEngine

/// d2l's LeNet (with padding 2 on the first convolution and sigmoid activations).
func makeLeNet() throws -> Sequential {
    Sequential(
        try Conv2d(1, 6, kernelSize: 5, padding: 2), Sigmoid(), AvgPool2d(kernelSize: 2, stride: 2),
        try Conv2d(6, 16, kernelSize: 5), Sigmoid(), AvgPool2d(kernelSize: 2, stride: 2),
        Flatten(),
        try Linear(16 * 5 * 5, 120), Sigmoid(),
        try Linear(120, 84), Sigmoid(),
        try Linear(84, 10))
}

final class LayerTests: XCTestCase {
    func testDescriptionsMatchPyTorch() throws {
        XCTAssertEqual(try Conv2d(1, 6, kernelSize: 5, padding: 2).moduleDescription,
                       "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))")
        XCTAssertEqual(try Conv2d(3, 6, kernelSize: Size2(3, 5), stride: 2, dilation: 2, groups: 3, bias: false).moduleDescription,
                       "Conv2d(3, 6, kernel_size=(3, 5), stride=(2, 2), dilation=(2, 2), groups=3, bias=False)")
        XCTAssertEqual(try Linear(400, 120).moduleDescription, "Linear(in_features=400, out_features=120, bias=True)")
        XCTAssertEqual(MaxPool2d(kernelSize: 2).moduleDescription, "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)")
        XCTAssertEqual(MaxPool2d(kernelSize: Size2(2, 4), stride: Size2(2, 3), padding: Size2(1, 2)).moduleDescription,
                       "MaxPool2d(kernel_size=(2, 4), stride=(2, 3), padding=(1, 2), dilation=1, ceil_mode=False)")
        XCTAssertEqual(MaxPool2d(3, stride: 2, padding: 1, ceilMode: true).moduleDescription,
                       "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)")
        XCTAssertEqual(AvgPool2d(kernelSize: 2).moduleDescription, "AvgPool2d(kernel_size=2, stride=2, padding=0)")
        XCTAssertEqual(AdaptiveAvgPool2d(1).moduleDescription, "AdaptiveAvgPool2d(output_size=1)")
        XCTAssertEqual(AdaptiveAvgPool2d(Size2(1, 1)).moduleDescription, "AdaptiveAvgPool2d(output_size=(1, 1))")
        XCTAssertEqual(ReLU().moduleDescription, "ReLU()")
        XCTAssertEqual(Sigmoid().moduleDescription, "Sigmoid()")
        XCTAssertEqual(Tanh().moduleDescription, "Tanh()")
        XCTAssertEqual(Flatten().moduleDescription, "Flatten(start_dim=1, end_dim=-1)")
        XCTAssertEqual(try Dropout(0.5).moduleDescription, "Dropout(p=0.5, inplace=False)")
        XCTAssertEqual(try BatchNorm2d(6).moduleDescription, "BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)")
        XCTAssertEqual(try BatchNorm1d(120, eps: 1e-3, momentum: nil, affine: false).moduleDescription,
                       "BatchNorm1d(120, eps=0.001, momentum=None, affine=False, track_running_stats=True)")
        XCTAssertEqual(Sequential(try Linear(2, 3), Sequential(ReLU())).moduleDescription, """
            Sequential(
              (0): Linear(in_features=2, out_features=3, bias=True)
              (1): Sequential(
                (0): ReLU()
              )
            )
            """)
    }

    func testLeNetParametersAndForward() throws {
        manualSeed(1)
        let net = try makeLeNet()
        XCTAssertEqual(net.parameterCount, 61_706)
        XCTAssertEqual(net.namedParameters.map(\.name).prefix(4), ["0.weight", "0.bias", "3.weight", "3.bias"])
        let y = try net(try sampleTensor([2, 1, 28, 28]))
        XCTAssertEqual(y.shape, [2, 10])
        try crossEntropy(y, Tensor(shape: [2], scalars: [3, 7])).backward()
        XCTAssertTrue(net.parameters.allSatisfy { $0.grad?.shape == $0.shape })
    }

    func testDefaultInitialisationBoundsAndSeed() throws {
        manualSeed(5)
        let conv = try Conv2d(6, 16, kernelSize: 5)
        let bound = 1 / Float(6 * 25).squareRoot()
        XCTAssertTrue(conv.weight.scalars.allSatisfy { Swift.abs($0) <= bound })
        XCTAssertTrue(try XCTUnwrap(conv.bias).scalars.allSatisfy { Swift.abs($0) <= bound })
        // Spread over most of the interval, not a constant.
        XCTAssertGreaterThan(conv.weight.scalars.max()! - conv.weight.scalars.min()!, 1.5 * bound)
        manualSeed(5)
        XCTAssertEqual(try Conv2d(6, 16, kernelSize: 5).weight.scalars, conv.weight.scalars)
        let fc = try Linear(84, 10, bias: false)
        XCTAssertNil(fc.bias)
        XCTAssertTrue(fc.weight.scalars.allSatisfy { Swift.abs($0) <= 1 / Float(84).squareRoot() })
    }

    func testAssigningWeightIsUsedAndKeepsParameter() throws {
        let conv = try Conv2d(1, 1, kernelSize: Size2(1, 2), bias: false)
        let parameter = conv.weightParameter
        conv.weight = try Tensor(shape: [1, 1, 1, 2], scalars: [1, -1])
        XCTAssertTrue(conv.parameters.first === parameter)
        let y = try conv(try Tensor(shape: [1, 1, 1, 3], scalars: [1, 1, 0]))
        XCTAssertEqual(y.scalars, [0, 1])
    }

    func testBatchNormLayerTracksStatisticsAndModes() throws {
        let bn = try BatchNorm1d(3)
        let x = try Tensor(shape: [4, 3], scalars: [1, 2, 3, 4, 6, 5, 0, -1, 2, 3, 3, 3])
        _ = try bn(x)
        XCTAssertEqual(bn.numBatchesTracked, 1)
        assertClose(try XCTUnwrap(bn.runningMean).scalars, [0.2, 0.25, 0.325])
        let net = Sequential(bn, try Dropout(0.5))
        net.eval()
        XCTAssertFalse(bn.isTraining)
        let before = try XCTUnwrap(bn.runningMean).scalars
        _ = try net(x)
        XCTAssertEqual(try XCTUnwrap(bn.runningMean).scalars, before)
        XCTAssertEqual(bn.numBatchesTracked, 1)
        assertThrowsMessage("BatchNorm2d: expected 4D input (got 2D input") { try BatchNorm2d(3)(x) }
        assertThrowsMessage("expected input with 4 channels") { try BatchNorm1d(4)(x) }
        XCTAssertEqual(try BatchNorm2d(6).parameterCount, 12)
    }

    func testSequentialAppendAndFlatten() throws {
        let net = Sequential([Flatten()])
        net.append(try Linear(12, 2))
        XCTAssertEqual(net.children.map(\.name), ["0", "1"])
        XCTAssertEqual(try net(try sampleTensor([5, 3, 2, 2])).shape, [5, 2])
        XCTAssertEqual(try Flatten(startDim: 0)(try Tensor.zeros([2, 3, 4])).shape, [24])
        XCTAssertEqual(try Flatten(startDim: 1, endDim: 2)(try Tensor.zeros([2, 3, 4, 5])).shape, [2, 12, 5])
        assertThrowsMessage("Flatten: dimension out of range") { try Flatten(startDim: 3)(try Tensor.zeros([2, 3])) }
        try assertGradientsMatch([try sampleTensor([2, 2, 3])]) { try Flatten()($0[0]) }
    }

    func testMultiplyAccumulates() throws {
        XCTAssertEqual(try Conv2d(1, 6, kernelSize: 5, padding: 2).multiplyAccumulates(input: [1, 1, 28, 28], output: [1, 6, 28, 28]), 117_600)
        XCTAssertEqual(try Conv2d(4, 8, kernelSize: 3, groups: 2).multiplyAccumulates(input: [1, 4, 5, 5], output: [1, 8, 3, 3]), 72 * 18)
        XCTAssertEqual(try Linear(400, 120).multiplyAccumulates(input: [2, 400], output: [2, 120]), 96_000)
    }
}
