import Foundation
import LessonScript
import XCTest
@testable import LessonRunner

/// Resuming from cell records and states: after editing only the last cell its output is the
/// same as a full run's, while the earlier cells are reused, not executed; editing an earlier
/// cell, a corrupt state or a state that cannot be saved only means starting earlier.
final class SnapshotTests: TemporaryFolderTestCase {
    var store: CellCache { cache }

    /// An executor that stores the state after every cell (not only the costly ones), so the
    /// tests can resume anywhere.
    func executor() -> LessonExecutor {
        let executor = LessonExecutor(cache: store)
        executor.snapshotWorth = 0
        return executor
    }

    /// A small training lesson: a script layer with a built-in child, batch norm, an
    /// optimiser, the generator used in every cell.
    func lesson(last: String, first extra: String = "") -> String {
        """
        ---
        title: Rerun
        seed: 11
        ---
        # Rerun

        ```swift id=model
        \(extra)
        class Block: Module {
            var conv: Conv2d
            var gain: Tensor
            init() { conv = Conv2d(1, 2, kernelSize: 3, padding: 1); gain = ones(2, 1, 1) }
            func callAsFunction(_ x: Tensor) -> Tensor { relu(conv(x)) * gain }
        }
        let net = Sequential(Block(), BatchNorm2d(2), Flatten(), Linear(32, 3))
        let opt = SGD(net.parameters, lr: 0.1, momentum: 0.9)
        print("model built")
        ```

        ```swift id=train
        let x = randn(8, 1, 4, 4)
        let y = tensor([0, 1, 2, 0, 1, 2, 0, 1])
        var losses: [Double] = []
        for _ in 0..<4 {
            opt.zeroGrad()
            let loss = crossEntropy(net(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        }
        print("trained", losses)
        ```

        ```swift id=last
        \(last)
        ```

        """
    }

    let lastCell = "net.eval()\nprint(net(x).argmax(dim: 1), rand(3))\nprint(losses.count)"
    let editedCell = "net.eval()\nprint(net(x).sum().item(), randn(2))\nopt.step()\nprint(net.parameters.count)"

    private func write(_ text: String) throws -> String {
        let path = folder.appendingPathComponent("rerun.md").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func text(_ result: LessonResult, _ cell: Int) -> String { OutputText.text(of: result.runs[cell - 1].outputs) }

    func testRunCellAfterEditingTheLastCellSkipsEarlierCellsAndMatchesAFullRun() throws {
        let path = try write(lesson(last: lastCell))
        let output = folder.appendingPathComponent("output").path
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: output, console: console,
                                             executor: { self.executor() }), 0)
        let lessonFolder = folder.appendingPathComponent("cache/lessons/rerun")
        let files = try FileManager.default.contentsOfDirectory(atPath: lessonFolder.path)
        XCTAssertEqual(files.filter { $0.hasSuffix(".snapshot") }.count, 2)
        XCTAssertEqual(files.filter { $0.hasSuffix(".record") }.count, 3)

        try write(lesson(last: editedCell))
        let document = try LessonDocument.load(path: path)
        let resumed = executor().run(document, lastCell: 3, reuse: true)
        let full = LessonExecutor().run(document)
        XCTAssertEqual(resumed.reusedCells, [1, 2])
        XCTAssertEqual(resumed.executedCells, [3], "the model and training cells must not run again")
        XCTAssertEqual(text(resumed, 1), "model built")
        XCTAssertEqual(text(resumed, 2), text(full, 2))
        XCTAssertEqual(resumed.runs[2].status, .succeeded)
        XCTAssertEqual(full.executedCells, [1, 2, 3])
        XCTAssertEqual(text(resumed, 3), text(full, 3))
        XCTAssertTrue(text(full, 3).hasSuffix("\n7"), text(full, 3))  // the parameter count, printed last

        // The command: the page it writes is byte for byte the page of a full render.
        store.forget(CellKey.keys(for: document)[2], slug: "rerun")
        stdout = ""
        XCTAssertEqual(try Lessonbook.run(path: path, cell: "last", output: output, console: console,
                                          executor: { self.executor() }), 0)
        XCTAssertEqual(stdout, text(full, 3) + "\n")
        let reference = folder.appendingPathComponent("reference").path
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: reference, console: console, executor: { LessonExecutor() }), 0)
        XCTAssertEqual(try String(contentsOfFile: output + "/rerun.md", encoding: .utf8),
                       try String(contentsOfFile: reference + "/rerun.md", encoding: .utf8))
    }

    func testEditingAnEarlierCellInvalidatesLaterRecords() throws {
        let path = try write(lesson(last: lastCell))
        _ = executor().run(try LessonDocument.load(path: path))
        try write(lesson(last: lastCell, first: "let unused = 1"))
        let document = try LessonDocument.load(path: path)
        let resumed = executor().run(document, lastCell: 3, reuse: true)
        XCTAssertEqual(resumed.reusedCells, [])
        XCTAssertEqual(resumed.executedCells, [1, 2, 3])
        XCTAssertEqual(text(resumed, 3), text(LessonExecutor().run(document), 3))
    }

    func testACorruptStateIsPassedOverForAnEarlierOne() throws {
        let path = try write(lesson(last: lastCell))
        var document = try LessonDocument.load(path: path)
        _ = executor().run(document)
        let latest = store.snapshotURL(CellKey.keys(for: document)[1], "rerun")
        var bytes = try Data(contentsOf: latest)
        bytes[bytes.count / 2] ^= 0x10
        try bytes.write(to: latest)
        try write(lesson(last: editedCell))
        document = try LessonDocument.load(path: path)
        let resumed = executor().run(document, lastCell: 3, reuse: true)
        XCTAssertEqual(resumed.reusedCells, [1])
        XCTAssertEqual(resumed.executedCells, [2, 3])
        XCTAssertEqual(text(resumed, 3), text(LessonExecutor().run(document), 3))
    }

    func testAStateThatCannotBeSavedMeansStartingEarlier() throws {
        // A closure in a global cannot be saved: no state after the training cell.
        let text = lesson(last: lastCell).replacingOccurrences(of: "var losses: [Double] = []", with: "var losses: [Double] = []\nlet twice = { (v: Double) in v * 2 }")
        let path = try write(text)
        var document = try LessonDocument.load(path: path)
        _ = executor().run(document)
        XCTAssertFalse(store.hasSnapshot(CellKey.keys(for: document)[1], slug: "rerun"))
        try write(text.replacingOccurrences(of: lastCell, with: editedCell))
        document = try LessonDocument.load(path: path)
        let resumed = executor().run(document, lastCell: 3, reuse: true)
        XCTAssertEqual(resumed.reusedCells, [1])
        XCTAssertEqual(resumed.executedCells, [2, 3])
        XCTAssertEqual(self.text(resumed, 3), self.text(LessonExecutor().run(document), 3))
    }
}
