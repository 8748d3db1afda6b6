import Foundation
import XCTest
@testable import LessonRunner

/// `watch`: each save reruns the lesson from its first changed cell, restoring the state
/// before it from the snapshots of the previous version kept in memory, and the result is
/// that of a full run.
final class WatchTests: XCTestCase {
    var folder: URL!
    var stdout = ""
    var stderr = ""
    lazy var console = Console(githubAnnotations: false, out: { [unowned self] in self.stdout += $0 },
                               err: { [unowned self] in self.stderr += $0 })

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("q1-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

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
        _ = Lessonbook.watchRound(path: path, folder: folder.appendingPathComponent("output"), katex: false,
                                  session: session, console: console)
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
        let session = WatchSession(executor: { LessonExecutor(snapshots: $0) })

        let first = try save(lesson(), in: session)
        XCTAssertEqual(first.executedCells, [1, 2, 4])
        XCTAssertNil(first.restoredThrough)
        XCTAssertEqual(summary(first), try fullRun())
        XCTAssertTrue(stdout.contains("── cell data ──") && stdout.contains("── cell last ──"), stdout)

        // The last cell edited: the state after the model cell is restored (the skipped cell
        // changes nothing, so no state is saved after it).
        let editedLast = try save(lesson(last: "print(matmul(x, w).sum().item(), randn(3))"), in: session)
        XCTAssertEqual(editedLast.executedCells, [4])
        XCTAssertEqual(editedLast.restoredThrough, 2)
        XCTAssertEqual(summary(editedLast), try fullRun())
        XCTAssertFalse(stdout.contains("── cell data ──"), "unchanged outputs are not printed again: \(stdout)")
        XCTAssertTrue(stdout.hasPrefix("── cell last ──\n"), stdout)
        XCTAssertTrue(stderr.contains("ran cell 4"), stderr)

        // Prose only: nothing runs, nothing is printed, the page is still rewritten.
        let page = folder.appendingPathComponent("output/watch.md")
        let proseOnly = try save(lesson(last: "print(matmul(x, w).sum().item(), randn(3))", prose: "The weights, again."), in: session)
        XCTAssertEqual(proseOnly.executedCells, [])
        XCTAssertEqual(summary(proseOnly), try fullRun())
        XCTAssertEqual(stdout, "")
        XCTAssertTrue(try String(contentsOf: page, encoding: .utf8).contains("The weights, again."))

        // The middle cell edited: it and every later cell run again.
        let model = "var w = rand(3, 1) * 2\nprint(w.sum().item() > 0)"
        let editedModel = try save(lesson(model: model, prose: "The weights, again."), in: session)
        XCTAssertEqual(editedModel.executedCells, [2, 4])
        XCTAssertEqual(editedModel.restoredThrough, 1)
        XCTAssertEqual(summary(editedModel), try fullRun())
        XCTAssertEqual(editedModel.status, .passed)
    }

    func testAFailedCellRunsAgainOnTheNextSave() throws {
        let session = WatchSession(executor: { LessonExecutor(snapshots: $0) })
        try save(lesson(), in: session)
        let failing = try save(lesson(model: "var w = rand(3, 1)\nprint(undefinedName)"), in: session)
        XCTAssertEqual(failing.executedCells, [2])
        XCTAssertEqual(failing.status, .failed)
        XCTAssertEqual(summary(failing), try fullRun())

        // Back to the first version: the model cell failed last time, so it runs again.
        let fixed = try save(lesson(), in: session)
        XCTAssertEqual(fixed.executedCells, [2, 4])
        XCTAssertEqual(fixed.status, .passed)
        XCTAssertEqual(summary(fixed), try fullRun())
    }

    func testInMemorySnapshotsKeepOnlyTheLastVersionAndWriteNothing() throws {
        let session = WatchSession(executor: { LessonExecutor(snapshots: $0) })
        let v1 = try save(lesson(), in: session)
        let v2 = try save(lesson(model: "var w = ones(3, 1)\nprint(w.sum().item() > 0)"), in: session)
        let names = v2.document.artifactNames
        for number in 1...2 {
            XCTAssertTrue(session.snapshots.contains(SnapshotKey(document: v2.document, beforeCell: number + 1), names: names))
        }
        // The states after the first version's model and skip cells are gone; the one after
        // the unchanged first cell is the same state and stays.
        XCTAssertTrue(session.snapshots.contains(SnapshotKey(document: v1.document, beforeCell: 2), names: names))
        XCTAssertFalse(session.snapshots.contains(SnapshotKey(document: v1.document, beforeCell: 3), names: names))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".lessonbook").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: session.snapshots.root.path))
    }
}
