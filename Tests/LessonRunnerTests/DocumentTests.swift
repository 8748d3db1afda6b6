import Foundation
import XCTest
@testable import LessonRunner

final class DocumentTests: XCTestCase {
    let lesson = """
    ---
    title: Pooling
    seed: 3
    timeout: 5
    requires: a.gz, b.gz
    ---
    # Max pooling

    Some prose with $x$.

    ```swift id=first
    print(1)
    ```

    ```output
    1
    ```

    ```python
    not a cell
    ```

    ```swift hide
    let y = 2
    ```
    Trailing prose.

    """

    /// README's own example writes `timeout: 120     # seconds per cell`: YAML comments are
    /// not part of a value, unless it is quoted.
    func testFrontMatterValuesDropComments() throws {
        let text = "---\ntitle: \"Pooling # 2\"\nseed: 0          # the generator's seed\ntimeout: 120 # seconds\nrequires:\n  - a.gz  # the images\n---\n\nProse.\n"
        let doc = try LessonDocument(text: text, path: "lesson.md")
        XCTAssertEqual(doc.frontMatter, FrontMatter(title: "Pooling # 2", seed: 0, timeout: 120, requires: ["a.gz"]))
    }

    func testParsesFrontMatterCellsAndOutputs() throws {
        let doc = try LessonDocument(text: lesson, path: "lessons/04-pooling.md")
        XCTAssertEqual(doc.frontMatter, FrontMatter(title: "Pooling", seed: 3, timeout: 5, requires: ["a.gz", "b.gz"]))
        XCTAssertEqual(doc.title, "Pooling")
        let cells = doc.cells
        XCTAssertEqual(cells.count, 2)
        XCTAssertEqual(cells[0].id, "first")
        XCTAssertEqual(cells[0].source, "print(1)")
        XCTAssertEqual(cells[0].fenceLine, 11)
        XCTAssertEqual(cells[0].firstSourceLine, 12)
        XCTAssertEqual(cells[0].output?.content, "1")
        XCTAssertEqual(cells[0].output?.lines, 15..<18)
        XCTAssertEqual(cells[1].id, "2")
        XCTAssertTrue(cells[1].options.hide)
        XCTAssertNil(cells[1].output)
        XCTAssertTrue(doc.warnings.isEmpty)
    }

    func testPrintingBackIsExact() throws {
        for text in [lesson, "", "no newline at end", "\n\n", "```swift\nx\n```", "a\r\n```swift\r\nprint(1)\r\n```\r\n",
                     "- item\n\n  ```swift\n  nested\n  ```\n"] {
            let doc = try LessonDocument(text: text, path: "x.md")
            XCTAssertEqual(doc.text, text)
            XCTAssertEqual(doc.segments.map { doc.text(of: $0.lines) }.joined(separator: "\n"), text)
            XCTAssertEqual(doc.rewritten(edits: [:]), text)
        }
    }

    func testLoneCarriageReturnsDoNotShiftLines() throws {
        let text = "a\rb\n\n```swift\nx\n```\n"
        let doc = try LessonDocument(text: text, path: "x.md")
        XCTAssertEqual(doc.cells.first?.fenceLine, 3)
        XCTAssertEqual(doc.text, text)
    }

    func testTitleFallsBackToHeadingThenFileName() throws {
        XCTAssertEqual(try LessonDocument(text: "intro\n# The title\n", path: "a.md").title, "The title")
        XCTAssertEqual(try LessonDocument(text: "intro\n", path: "dir/02-x.md").title, "02-x")
    }

    func testUnterminatedSwiftFenceIsAnErrorWithItsLine() {
        XCTAssertThrowsError(try LessonDocument(text: "a\n\n```swift\nprint(1)\n\nmore\n", path: "l.md")) { error in
            XCTAssertEqual((error as? LessonInputError)?.line, 3)
            XCTAssertTrue("\(error)".contains("unterminated ```swift fence"), "\(error)")
        }
        XCTAssertThrowsError(try LessonDocument(text: "```swift", path: "l.md"))
        // A shorter closing fence does not close a longer opening one.
        XCTAssertThrowsError(try LessonDocument(text: "````swift\nx\n```\n", path: "l.md"))
        XCTAssertNoThrow(try LessonDocument(text: "````swift\nx\n````\n", path: "l.md"))
        XCTAssertThrowsError(try LessonDocument(text: "```swift\nx\n```\n\n```output\n1\n", path: "l.md")) { error in
            XCTAssertEqual((error as? LessonInputError)?.line, 5)
        }
        // Other unterminated fences are prose.
        XCTAssertNoThrow(try LessonDocument(text: "```python\nx\n", path: "l.md"))
    }

    func testUnknownOptionCarriesTheFenceLine() {
        XCTAssertThrowsError(try LessonDocument(text: "x\n```swift hidden\nprint(1)\n```\n", path: "l.md")) { error in
            XCTAssertEqual((error as? LessonInputError)?.line, 2)
        }
    }

    func testDuplicateIDsAreErrors() {
        XCTAssertThrowsError(try LessonDocument(text: "```swift id=a\n1\n```\n```swift id=a\n2\n```\n", path: "l.md"))
        XCTAssertThrowsError(try LessonDocument(text: "```swift\n1\n```\n```swift id=1\n2\n```\n", path: "l.md"))
    }

    func testEmptyLessonWarns() throws {
        let doc = try LessonDocument(text: "# Nothing here\n", path: "l.md")
        XCTAssertEqual(doc.warnings.map(\.message), ["empty lesson: no ```swift cells"])
    }

    func testOutputBlockMustFollowTheCell() throws {
        let doc = try LessonDocument(text: "```swift\n1\n```\nprose\n```output\nx\n```\n", path: "l.md")
        XCTAssertNil(doc.cells[0].output)
        let tilde = try LessonDocument(text: "~~~swift\n1\n~~~\n\n\n~~~~ output\nx\n~~~~\n", path: "l.md")
        XCTAssertEqual(tilde.cells[0].output?.content, "x")
        XCTAssertEqual(tilde.cells[0].output?.fenceChar, "~")
    }

    func testFrontMatterErrorsAndWarnings() {
        XCTAssertThrowsError(try LessonDocument(text: "---\nseed: x\n---\n", path: "l.md")) { error in
            XCTAssertEqual((error as? LessonInputError)?.line, 2)
        }
        XCTAssertThrowsError(try LessonDocument(text: "---\ntitle: x\n", path: "l.md"))
        let doc = try? LessonDocument(text: "---\ncolour: red\nrequires:\n  - a\n  - b\n---\n```swift\n1\n```\n", path: "l.md")
        XCTAssertEqual(doc?.frontMatter.requires, ["a", "b"])
        XCTAssertEqual(doc?.warnings.count, 1)
        XCTAssertEqual(doc?.cells.first?.fenceLine, 7)
    }

    func testFencedBlockOutgrowsFencesInTheContent() {
        XCTAssertEqual(LessonDocument.fencedBlock("a\n```\nb", char: "`", minimumLength: 3, indent: 0),
                       ["````output", "a", "```", "b", "````"])
        XCTAssertEqual(LessonDocument.fencedBlock("", char: "`", minimumLength: 3, indent: 0), ["```output", "```"])
    }

    func testCmarkRendersSafeHTML() {
        let html = Cmark.renderHTML("# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))")
        XCTAssertTrue(html.contains("<h1>T</h1>"))
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertFalse(html.contains("javascript:"))
    }

    func testCellKeyCoversSeedBuildRequirementsAndEarlierCellsOnly() throws {
        let base = "---\nseed: 1\n---\n```swift\nlet a = 1\n```\n```swift\nlet b = 2\n```\n```swift\nlet c = 3\n```\n"
        let doc = try LessonDocument(text: base, path: "l.md")
        let key = CellKey.keys(for: doc)[1]
        let laterEdited = try LessonDocument(text: base.replacingOccurrences(of: "let c = 3", with: "let c = 4"), path: "other.md")
        XCTAssertEqual(CellKey.keys(for: laterEdited)[1], key)
        XCTAssertNotEqual(CellKey.keys(for: laterEdited)[2], CellKey.keys(for: doc)[2])
        let earlierEdited = try LessonDocument(text: base.replacingOccurrences(of: "let a = 1", with: "let a = 2"), path: "l.md")
        XCTAssertNotEqual(CellKey.keys(for: earlierEdited)[1], key)
        let reseeded = try LessonDocument(text: base.replacingOccurrences(of: "seed: 1", with: "seed: 2"), path: "l.md")
        XCTAssertNotEqual(CellKey.keys(for: reseeded)[1], key)
        XCTAssertNotEqual(CellKey.keys(for: doc, build: "another build")[1], key)
        let requiring = try LessonDocument(text: base.replacingOccurrences(of: "seed: 1", with: "seed: 1\nrequires: /nonexistent/data"), path: "l.md")
        XCTAssertNotEqual(CellKey.keys(for: requiring)[1], key)
        XCTAssertEqual(key.value.count, 32)
    }
}
