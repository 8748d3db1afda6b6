import Foundation
import XCTest
@testable import LessonRunner

/// `watch`: each save runs the lesson from its first changed cell, reusing the records of
/// the cells before it, and the result is that of a full run; it reports what `check` reports.
final class WatchTests: TemporaryFolderTestCase {
    /// Every cell uses the generator, so a cell that ran on a wrongly restored state (or
    /// from a reseeded generator) prints different numbers than in a full run.
    func lesson(model: String = "var w = rand(3, 1)\nprint(w.sum().item() > 0)",
                last: String = "print(matmul(x, w), rand(2))", prose: String = "The weights.") -> String {
        """
        ---
        title: Watch
        seed: 5
        ---
        # Watch

        ```swift id=data
        let x = randn(2, 3)
        print(x.shape)
        ```

        \(prose)

        ```swift id=model
        \(model)
        ```

        ```swift skip
        print("never")
        ```

        ```swift id=last
        \(last)
        ```

        """
    }

    /// Saves `text` as the lesson and runs one round of the watch loop on it.
    @discardableResult
    func save(_ text: String, in session: WatchSession) throws -> LessonResult {
        let path = folder.appendingPathComponent("watch.md").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        stdout = ""
        let executor = LessonExecutor(cache: cache)
        executor.snapshotWorth = 0
        _ = Lessonbook.watchRound(path: path, folder: folder.appendingPathComponent("output"), katex: false,
                                  session: session, executor: executor, console: console)
        return try XCTUnwrap(session.lastResult)
    }

    /// The result of a full run of the saved lesson, cell by cell: status and output text.
    func fullRun() throws -> [String] {
        let document = try LessonDocument.load(path: folder.appendingPathComponent("watch.md").path)
        return summary(LessonExecutor().run(document))
    }

    func summary(_ result: LessonResult) -> [String] {
        result.runs.map { "\($0.id) \($0.status): \(OutputText.text(of: $0.outputs))" }
    }

    func testEachSaveRunsFromTheFirstChangedCellAndMatchesAFullRun() throws {
        let session = WatchSession()

        let first = try save(lesson(), in: session)
        XCTAssertEqual(first.executedCells, [1, 2, 4])
        XCTAssertEqual(first.reusedCells, [])
        XCTAssertEqual(summary(first), try fullRun())
        XCTAssertTrue(stdout.contains("── cell data ──") && stdout.contains("── cell last ──"), stdout)

        // The last cell edited: the state after the model cell is restored (the skipped cell
        // changes nothing, so no state is saved after it).
        let editedLast = try save(lesson(last: "print(matmul(x, w).sum().item(), randn(3))"), in: session)
        XCTAssertEqual(editedLast.executedCells, [4])
        XCTAssertEqual(editedLast.reusedCells, [1, 2])
        XCTAssertEqual(summary(editedLast), try fullRun())
        XCTAssertFalse(stdout.contains("── cell data ──"), "unchanged outputs are not printed again: \(stdout)")
        XCTAssertTrue(stdout.contains("── cell last ──\n"), stdout)
        XCTAssertTrue(stdout.contains("executed 1 cell, reused 2"), stdout)

        // Prose only: nothing runs, nothing is printed, the page is still rewritten.
        let page = folder.appendingPathComponent("output/watch.md")
        let proseOnly = try save(lesson(last: "print(matmul(x, w).sum().item(), randn(3))", prose: "The weights, again."), in: session)
        XCTAssertEqual(proseOnly.executedCells, [])
        XCTAssertEqual(summary(proseOnly), try fullRun())
        XCTAssertFalse(stdout.contains("── cell"), stdout)
        XCTAssertTrue(try String(contentsOf: page, encoding: .utf8).contains("The weights, again."))

        // The middle cell edited: it and every later cell run again.
        let model = "var w = rand(3, 1) * 2\nprint(w.sum().item() > 0)"
        let editedModel = try save(lesson(model: model, prose: "The weights, again."), in: session)
        XCTAssertEqual(editedModel.executedCells, [2, 4])
        XCTAssertEqual(editedModel.reusedCells, [1])
        XCTAssertEqual(summary(editedModel), try fullRun())
        XCTAssertEqual(editedModel.status, .passed)
    }

    func testAFailedCellRunsAgainOnTheNextSave() throws {
        let session = WatchSession()
        try save(lesson(), in: session)
        let failing = try save(lesson(model: "var w = rand(3, 1)\nprint(undefinedName)"), in: session)
        XCTAssertEqual(failing.executedCells, [2])
        XCTAssertEqual(failing.status, .failed)
        XCTAssertEqual(summary(failing), try fullRun())

        // Back to the first version: its records are still valid, nothing runs; the failed
        // version left no record, so saving it again runs the failing cell again.
        let fixed = try save(lesson(), in: session)
        XCTAssertEqual(fixed.executedCells, [])
        XCTAssertEqual(fixed.reusedCells, [1, 2, 4])
        XCTAssertEqual(fixed.status, .passed)
        XCTAssertEqual(summary(fixed), try fullRun())
        let failingAgain = try save(lesson(model: "var w = rand(3, 1)\nprint(undefinedName)"), in: session)
        XCTAssertEqual(failingAgain.executedCells, [2])
    }

    func testWatchReportsWhatCheckReportsForAFailingLesson() throws {
        let text = "# W\n\n```swift id=ok\nprint(2)\n```\n\n```output\n2\n```\n\n```swift id=wrong\nprint(1 + 1)\n```\n\n```output\n3\n```\n"
        let session = WatchSession()
        try save(text, in: session)
        let watchOut = stdout, watchErr = stderr
        let watched = try XCTUnwrap(session.lastReport)
        stdout = ""; stderr = ""
        let path = folder.appendingPathComponent("watch.md").path
        let json = folder.appendingPathComponent("report.json").path
        var options = Lessonbook.CheckOptions()
        options.reportJSON = json
        XCTAssertEqual(try Lessonbook.check(paths: [path], options: options, console: console, executor: { LessonExecutor() }), 1)
        var checked = try XCTUnwrap(JSONDecoder().decode([LessonCheckReport].self, from: Data(contentsOf: URL(fileURLWithPath: json))).first)
        var watchedReport = watched
        XCTAssertFalse(watchedReport.passed)
        // Same verdicts, messages and diffs; only the times and the executed/reused counts differ.
        for index in checked.cells.indices { checked.cells[index].seconds = 0 }
        for index in watchedReport.cells.indices { watchedReport.cells[index].seconds = 0 }
        checked.seconds = 0; watchedReport.seconds = 0
        checked.executed = nil; checked.reused = nil; watchedReport.executed = nil; watchedReport.reused = nil
        XCTAssertEqual(watchedReport, checked)
        XCTAssertTrue(watchOut.contains("FAIL \(path) (2 cells, 2 compared"), watchOut)
        XCTAssertTrue(stdout.contains("FAIL \(path) (2 cells, 2 compared"), stdout)
        let differs = "\(path):15: cell wrong: output differs\n--- expected"
        XCTAssertTrue(watchErr.contains(differs) && stderr.contains(differs), watchErr + stderr)
    }
}
