import Foundation
import XCTest
@testable import LessonRunner

/// Fixture lessons run through the real interpreter and rendered; the Markdown and HTML must
/// equal the recorded `expected.md` and `expected.html` byte for byte. Re-record with
/// `LESSONBOOK_RECORD=1 swift test --filter GoldenRenderTests` (and review the diff).
final class GoldenRenderTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    var recording: Bool { ProcessInfo.processInfo.environment["LESSONBOOK_RECORD"] == "1" }

    /// Runs one fixture; returns the result for further checks.
    @discardableResult
    private func golden(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> LessonResult {
        let folder = Self.fixtures.appendingPathComponent(name)
        let input = try String(contentsOf: folder.appendingPathComponent("input.md"), encoding: .utf8)
        // A stable path: messages and the slug do not depend on where the tests run.
        let document = try LessonDocument(text: input, path: "lessons/\(name).md")
        let result = LessonExecutor(host: RecordingHost(showsProgress: false)).run(document)
        let markdown = MarkdownRenderer.render(result)
        var rendered = result.rendered
        rendered.seconds = 0
        // Without the stylesheet: each golden says what its lesson renders to, and a change of
        // style re-records none of them (PageStyleTests checks the stylesheet once).
        let options = HTMLRenderer.Options(katexFolder: KaTeXAssets.relativeFolder, includeStylesheet: false)
        let html = HTMLRenderer.render(rendered, artifacts: document.artifactNames, options: options)
        for (fileName, actual) in [("expected.md", markdown), ("expected.html", html)] {
            let url = folder.appendingPathComponent(fileName)
            if recording {
                try AtomicFile.write(actual, to: url)
                continue
            }
            let expected = try String(contentsOf: url, encoding: .utf8)
            if expected != actual {
                let diff = UnifiedDiff.make(expected: expected.components(separatedBy: "\n"), actual: actual.components(separatedBy: "\n"),
                                            expectedLabel: "\(name)/\(fileName)", actualLabel: "actual")
                XCTFail("\(name)/\(fileName) differs (LESSONBOOK_RECORD=1 re-records):\n\(diff)", file: file, line: line)
            }
        }
        return result
    }

    /// What `check` says about each cell of a fixture: "pass", "differs", "fail" or "skip".
    private func verdicts(_ result: LessonResult) -> [String] {
        var stdout = "", stderr = ""
        let console = Console(githubAnnotations: false, out: { stdout += $0 }, err: { stderr += $0 })
        let report = Lessonbook.report(for: result, update: false, console: console)
        return report.cells.map { cell in
            switch cell.outcome {
            case .passed: return "pass"
            case .skipped: return "skip"
            case .failed: return cell.message?.hasSuffix("output differs") == true ? "differs" : "fail"
            }
        }
    }

    func testEveryCellOption() throws {
        let result = try golden("options")
        XCTAssertEqual(result.status, .passed)
        XCTAssertEqual(result.runs.map(\.id), ["setup", "2", "3", "4", "5", "6", "table"])
        XCTAssertEqual(verdicts(result), ["pass", "pass", "skip", "pass", "pass", "pass", "pass"])
        XCTAssertEqual(result.runs[2].status, .notRun(reason: "skip"))
        // The rendered lesson checks clean.
        let rendered = try LessonDocument(text: MarkdownRenderer.render(result), path: "output/options.md")
        XCTAssertEqual(verdicts(LessonExecutor(host: RecordingHost(showsProgress: false)).run(rendered)).filter { $0 != "pass" && $0 != "skip" }, [])
    }

    func testFailingCell() throws {
        let result = try golden("failing-cell")
        XCTAssertEqual(result.status, .failed)
        guard case .failed(let message) = result.runs[1].status else { return XCTFail("\(result.runs[1].status)") }
        XCTAssertTrue(message.hasPrefix("lessons/failing-cell.md:10:13: error: unknown name 'missingName'"), message)
        XCTAssertEqual(result.runs[2].status, .notRun(reason: "not run: cell broken failed"))
        XCTAssertEqual(verdicts(result), ["pass", "fail", "skip"])
    }

    func testExpectErrorThatDoesNotFail() throws {
        let result = try golden("expect-error-no-error")
        XCTAssertEqual(result.runs[0].status, .unexpectedSuccess)
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(verdicts(result), ["fail", "pass"])
    }

    func testTolerance() throws {
        let result = try golden("tolerance")
        XCTAssertEqual(verdicts(result), ["pass", "pass", "differs"])
    }

    func testImagesTablesAndPlots() throws {
        let result = try golden("images-tables-plots")
        XCTAssertEqual(result.status, .passed)
        let text = OutputText.text(of: result.runs[0].outputs)
        XCTAssertEqual(text, "[image: edge image, 6×8]\n[image: two maps, 2×6×8]")
    }
}
