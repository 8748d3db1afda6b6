import Foundation
import XCTest
@testable import LessonRunner

/// Issue #13, item 5: training is bit-reproducible. Two hundred SGD steps of a small CNN with
/// dropout and shuffling print every loss with all its digits; two runs in this process and one
/// in a child `lessonbook run` must print the same bytes. The batch is large enough (1.8M multiply-adds)
/// that the convolution's backward pass runs on several threads (on a machine with more than one core),
/// where the weight-gradient sums used to be added in an order that depended on thread timing.
extension ProcessTests {
    static let trainingScript = """
    manualSeed(0)
    let data = TensorDataset(randn([64, 4, 12, 12]), randint(0, 10, [64]), classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
    let loader = DataLoader(data, batchSize: 16, shuffle: true)
    let net = Sequential(
        Conv2d(4, 8, kernelSize: 5, padding: 2), ReLU(), MaxPool2d(2), Flatten(), Dropout(0.3), Linear(8 * 6 * 6, 10))
    let optimizer = SGD(net.parameters, lr: 0.02, momentum: 0.9)
    var digest = 0.0
    for epoch in 1...50 {
        for (images, labels) in loader {
            let loss = crossEntropy(net(images), labels)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            digest = digest * 0.5 + loss.item()
        }
        if epoch % 10 == 0 { print(epoch, digest, net.parameters[0].sum().item(), net.parameters[2].sum().item()) }
    }
    """

    func testTrainingGivesTheSameBitsInEveryRunAndProcess() throws {
        let script = folder.appendingPathComponent("train.swift")
        try Self.trainingScript.write(to: script, atomically: true, encoding: .utf8)
        let first = try run(["run", "--no-cache", "train.swift"])
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertEqual(first.out.split(separator: "\n").count, 5, first.out)
        for _ in 0..<2 {
            let again = try run(["run", "--no-cache", "train.swift"])
            XCTAssertEqual(again.out, first.out)
        }
    }
}
