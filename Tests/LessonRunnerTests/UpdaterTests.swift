import Foundation
import XCTest
@testable import LessonRunner

final class UpdaterTests: XCTestCase {
    let lesson = """
    Intro  with trailing spaces   \r
    ```swift id=a
    print(1)
    ```

    ```output
    stale
    ```
    middle

    ```swift
    print(2)
    ```
    ```swift skip
    print(3)
    ```

    ```output
    kept
    ```
    ```swift id=fails
    boom()
    ```
    end without newline
    """

    private func runs(for doc: LessonDocument) -> [CellRun] {
        [CellRun(id: "a", line: 2, outputs: [.text("1\n")], status: .succeeded, seconds: 0),
         CellRun(id: "2", line: 11, outputs: [.text("2\n")], status: .succeeded, seconds: 0),
         CellRun(id: "3", line: 14, outputs: [], status: .notRun(reason: "skip"), seconds: 0),
         CellRun(id: "fails", line: 21, outputs: [.text("partial\n")], status: .failed(message: "x"), seconds: 0)]
    }

    func testRewritesAndInsertsOnlyOutputBlocks() throws {
        let doc = try LessonDocument(text: lesson, path: "l.md")
        let updated = try XCTUnwrap(LessonUpdater.updatedText(document: doc, runs: runs(for: doc)))
        XCTAssertEqual(updated, """
        Intro  with trailing spaces   \r
        ```swift id=a
        print(1)
        ```

        ```output
        1
        ```
        middle

        ```swift
        print(2)
        ```

        ```output
        2
        ```
        ```swift skip
        print(3)
        ```

        ```output
        kept
        ```
        ```swift id=fails
        boom()
        ```
        end without newline
        """)
        // Idempotent: a second update changes nothing.
        let again = try LessonDocument(text: updated, path: "l.md")
        XCTAssertNil(LessonUpdater.updatedText(document: again, runs: runs(for: again)))
    }

    func testNondeterministicBlocksAreRecordedAfresh() throws {
        // A nondeterministic cell with a stale block, one without a block, and one whose run failed.
        let text = "```swift nondeterministic\nx\n```\n\n```output\nold\n```\n```swift nondeterministic\ny\n```\n"
            + "```swift nondeterministic\nz\n```\n\n```output\nkept\n```\n"
        let doc = try LessonDocument(text: text, path: "l.md")
        let r = [CellRun(id: "1", line: 1, outputs: [.text("new x")], status: .succeeded, seconds: 0),
                 CellRun(id: "2", line: 8, outputs: [.text("new y")], status: .succeeded, seconds: 0),
                 CellRun(id: "3", line: 11, outputs: [.text("partial")], status: .failed(message: "boom"), seconds: 0)]
        XCTAssertEqual(LessonUpdater.updatedText(document: doc, runs: r),
                       "```swift nondeterministic\nx\n```\n\n```output\nnew x\n```\n```swift nondeterministic\ny\n```\n\n```output\nnew y\n```\n"
                       + "```swift nondeterministic\nz\n```\n\n```output\nkept\n```\n")
        XCTAssertEqual(Set(LessonUpdater.edits(for: doc, runs: r).keys), [1, 2])
    }

    func testUpdateWritesAtomicallyInPlace() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("r1-updater-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("l.md")
        try lesson.write(to: file, atomically: false, encoding: .utf8)
        let doc = try LessonDocument.load(path: file.path)
        XCTAssertEqual(try LessonUpdater.update(document: doc, runs: runs(for: doc)), [1, 2])
        let written = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(written.contains("```output\n2\n```"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["l.md"], "no temporary file left behind")
    }

    func testOutputWithFencesGetsALongerFence() throws {
        let doc = try LessonDocument(text: "```swift\nx\n```\n", path: "l.md")
        let r = [CellRun(id: "1", line: 1, outputs: [.text("```\nhi\n")], status: .succeeded, seconds: 0)]
        let updated = try XCTUnwrap(LessonUpdater.updatedText(document: doc, runs: r))
        let reparsed = try LessonDocument(text: updated, path: "l.md")
        XCTAssertEqual(reparsed.cells[0].output?.content, "```\nhi")
    }
}
