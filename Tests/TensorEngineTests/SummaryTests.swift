import XCTest
@testable import TensorEngine

/// A module defined the way a lesson defines one: its own class whose forward calls children.
private final class Residual: Module {
    let body: Sequential
    var isTraining = true
    init() throws { body = Sequential(try Conv2d(4, 4, kernelSize: 3, padding: 1), ReLU()) }
    func forward(_ input: Tensor) throws -> Tensor { try body(input) + input }
    var children: [(name: String, module: any Module)] { [("body", body)] }
    var typeName: String { "Residual" }
}

final class SummaryTests: XCTestCase {
    func testLeNetSummary() throws {
        let result = try summary(try makeLeNet(), inputShape: [1, 1, 28, 28])
        XCTAssertEqual(result.rows.count, 13)
        XCTAssertEqual(result.rows.first?.layer, "Sequential")
        XCTAssertEqual(result.rows.last?.outputShape, [1, 10])
        XCTAssertEqual(result.rows[1].layer, "├─Conv2d")
        XCTAssertEqual(result.rows[1].outputShape, [1, 6, 28, 28])
        XCTAssertEqual(result.rows[1].parameterCount, 156)
        XCTAssertEqual(result.rows[1].multiplyAccumulates, 117_600)
        XCTAssertEqual(result.rows[3].outputShape, [1, 6, 14, 14])
        XCTAssertEqual(result.rows[7].outputShape, [1, 400])
        XCTAssertEqual(result.rows.last?.layer, "└─Linear")
        XCTAssertEqual(result.totalParameters, 61_706)
        XCTAssertEqual(result.rows[0].parameterCount, 61_706)
        // 117,600 + 240,000 (conv 2) + 48,000 + 10,080 + 840 (linear layers)
        XCTAssertEqual(result.totalMultiplyAccumulates, 416_520)
        XCTAssertEqual(result.rows[0].multiplyAccumulates, 416_520)
        XCTAssertEqual(result.tableRows[1], ["├─Conv2d", "[1, 6, 28, 28]", "156", "117,600"])
        XCTAssertEqual(result.tableRows[2], ["├─Sigmoid", "[1, 6, 28, 28]", "--", "--"])
        XCTAssertTrue(result.description.contains("Total params: 61,706"))
        XCTAssertTrue(result.description.contains("Output Shape"))
    }

    func testVGG11BlocksGiveSevenBySeven() throws {
        func vggBlock(_ convs: Int, _ inChannels: Int, _ outChannels: Int) throws -> Sequential {
            let block = Sequential()
            var channels = inChannels
            for _ in 0..<convs {
                block.append(try Conv2d(channels, outChannels, kernelSize: 3, padding: 1))
                block.append(ReLU())
                channels = outChannels
            }
            block.append(MaxPool2d(kernelSize: 2, stride: 2))
            return block
        }
        let features = Sequential()
        var channels = 1
        for (convs, out) in [(1, 64), (1, 128), (2, 256), (2, 512), (2, 512)] {
            features.append(try vggBlock(convs, channels, out))
            channels = out
        }
        let result = try summary(features, inputShape: [1, 1, 224, 224])
        let blocks = result.rows.filter { $0.depth == 1 }
        XCTAssertEqual(blocks.map(\.outputShape), [[1, 64, 112, 112], [1, 128, 56, 56], [1, 256, 28, 28], [1, 512, 14, 14], [1, 512, 7, 7]])
        XCTAssertEqual(result.rows.last?.outputShape, [1, 512, 7, 7])
        XCTAssertEqual(result.rows[2].layer, "│    ├─Conv2d")
        XCTAssertEqual(result.rows.last?.layer, "     └─MaxPool2d")
    }

    /// `maxDepth: 1` keeps the five blocks, each still counting the layers folded into it.
    func testDepthLimitKeepsTheBlocksAndTheirTotals() throws {
        let features = Sequential()
        for (inChannels, out) in [(1, 8), (8, 16), (16, 32)] {
            features.append(Sequential(try Conv2d(inChannels, out, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(kernelSize: 2, stride: 2)))
        }
        let full = try summary(features, inputShape: [1, 1, 64, 64])
        let shallow = try summary(features, inputShape: [1, 1, 64, 64], maxDepth: 1)
        XCTAssertEqual(shallow.rows.map(\.depth), [0, 1, 1, 1])
        XCTAssertEqual(shallow.rows.map(\.layer), ["Sequential", "├─Sequential", "├─Sequential", "└─Sequential"])
        XCTAssertEqual(shallow.rows.map(\.parameterCount), full.rows.filter { $0.depth <= 1 }.map(\.parameterCount))
        XCTAssertEqual(shallow.totalParameters, full.totalParameters)
        XCTAssertEqual(shallow.totalMultiplyAccumulates, full.totalMultiplyAccumulates)
        XCTAssertEqual(try summary(features, inputShape: [1, 1, 64, 64], maxDepth: 0).rows.count, 1)
    }

    /// Frozen parameters count in the total but not as trainable, as torchinfo shows a
    /// fine-tuned network: Linear(3, 4) frozen (16) beside Linear(4, 2) trained (10).
    func testFrozenParametersAreNotTrainable() throws {
        let first = try Linear(3, 4), second = try Linear(4, 2)
        let net = Sequential(first, ReLU(), second)
        for parameter in first.parameters { parameter.requiresGrad = false }
        let result = try summary(net, inputShape: [1, 3])
        XCTAssertEqual(result.totalParameters, 26)
        XCTAssertEqual(result.trainableParameters, 10)
    }

    func testNiNStart() throws {
        let net = Sequential(
            Sequential(try Conv2d(1, 96, kernelSize: 11, stride: 4), ReLU(),
                       try Conv2d(96, 96, kernelSize: 1), ReLU(), try Conv2d(96, 96, kernelSize: 1), ReLU()),
            MaxPool2d(3, stride: 2))
        let result = try summary(net, inputShape: [1, 1, 224, 224])
        XCTAssertEqual(result.rows.filter { $0.depth == 1 }.map(\.outputShape), [[1, 96, 54, 54], [1, 96, 26, 26]])
    }

    func testScriptStyleModuleAndTrainingStateUntouched() throws {
        let net = Sequential(try Residual(), try BatchNorm2d(4), AdaptiveAvgPool2d(1), Flatten(), try Linear(4, 2))
        let result = try summary(net, inputShape: [2, 4, 8, 8])
        XCTAssertEqual(result.rows.map(\.layer), ["Sequential", "├─Residual", "│    └─Sequential", "│         ├─Conv2d",
                                                  "│         └─ReLU", "├─BatchNorm2d", "├─AdaptiveAvgPool2d", "├─Flatten", "└─Linear"])
        XCTAssertEqual(result.rows[1].outputShape, [2, 4, 8, 8])
        XCTAssertEqual(result.rows[1].multiplyAccumulates, 2 * 4 * 64 * 36)
        XCTAssertEqual(result.rows.last?.outputShape, [2, 2])
        XCTAssertEqual(result.totalParameters, (4 * 4 * 9 + 4) + 8 + 10)
        // Shape inference must not count as a training batch.
        XCTAssertEqual((net.layers[1] as? BatchNorm2d)?.numBatchesTracked, 0)
    }

    func testShapeErrorPropagates() throws {
        assertThrowsMessage("conv2d: given groups=1") {
            try summary(try makeLeNet(), inputShape: [1, 3, 28, 28])
        }
    }

    /// The reproduction: multiply–accumulates past Int.max (a huge batch through two layers)
    /// trapped on the total; now an error naming summary and the input shape.
    func testMultiplyAccumulatesPastIntMaxAreAnError() throws {
        let model = Sequential(try Linear(4, 4), try Linear(4, 4))
        for batch in [1 << 59, 1 << 60] {
            XCTAssertThrowsError(try summary(model, inputShape: [batch, 4])) {
                XCTAssertTrue("\($0)".contains("summary: the multiply–accumulates of"), "\($0)")
                XCTAssertTrue("\($0)".contains("\(batch)"), "\($0)")
            }
        }
        XCTAssertEqual(try summary(model, inputShape: [1 << 40, 4]).totalMultiplyAccumulates, 32 << 40)
    }
}
