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
    private func golden(_ name: String, site: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> LessonResult {
        let folder = Self.fixtures.appendingPathComponent(name)
        let inputURL = folder.appendingPathComponent("input.md")
        let input = try String(contentsOf: inputURL, encoding: .utf8)
        // A stable path: messages and the slug do not depend on where the tests run. A site
        // fixture's pages come from its own folder (its links and images are resolved there);
        // no path reaches a student page.
        let document = try LessonDocument(text: input, path: site ? inputURL.path : "lessons/\(name).md")
        let result = LessonExecutor(host: RecordingHost(showsProgress: false)).run(document)
        let markdown = MarkdownRenderer.render(result)
        var rendered = result.rendered
        rendered.seconds = 0
        // Without the stylesheet: each golden says what its lesson renders to, and a change of
        // style re-records none of them (PageStyleTests checks the stylesheet once).
        var options = HTMLRenderer.Options(katexFolder: KaTeXAssets.relativeFolder, includeStylesheet: false)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lessonbook-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        if site {
            let course = CourseSite(lessonPaths: [inputURL.path, folder.appendingPathComponent("other-lesson.md").path])
            options.site = course.navigation
            options.rewriteURL = course.urlRewriter(for: inputURL.path, output: output)
        }
        let html = try HTMLRenderer.page(rendered, artifacts: document.artifactNames, options: options).html
        if site {
            XCTAssertEqual(try Data(contentsOf: output.appendingPathComponent("figures/window.svg")),
                           try Data(contentsOf: folder.appendingPathComponent("figures/window.svg")), "the image is copied", file: file, line: line)
        }
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

    /// A pipe table, a footnote, strikethrough, a task list, an alert, an image in a subfolder
    /// and links to another lesson's page and heading: all in the HTML, all kept in the Markdown.
    func testGitHubFlavouredProse() throws {
        let result = try golden("gfm", site: true)
        XCTAssertEqual(result.status, .passed)
        let markdown = MarkdownRenderer.render(result)
        for kept in ["|:------|:------:|-------:|", "[^lecun]", "~~convolution~~", "- [x] compute", "> [!NOTE]",
                     "![The sliding window](figures/window.svg)", "(other-lesson.md#stride-and-padding)"] {
            XCTAssertTrue(markdown.contains(kept), "the rendered Markdown keeps \(kept)")
        }
        let html = try String(contentsOf: Self.fixtures.appendingPathComponent("gfm/expected.html"), encoding: .utf8)
        for shown in ["<table>", "<td align=\"right\">24×24</td>", "<del>convolution</del>", "type=\"checkbox\" checked=\"\" disabled=\"\"",
                      "class=\"lb-callout lb-callout-note\"", "<img src=\"figures/window.svg\" alt=\"The sliding window\"",
                      "href=\"other-lesson.html#stride-and-padding\"", "href=\"other-lesson.html\"", "class=\"footnotes\"",
                      "<a href=\"https://example.org\">", "id=\"footnotes-and-ids\"", "id=\"footnotes-and-ids-1\""] {
            XCTAssertTrue(html.contains(shown), "the page shows \(shown)")
        }
        XCTAssertFalse(html.contains("[!NOTE]"))
    }

    /// A prose image outside the course folder, or missing, is an error naming file and line.
    func testProseImagesOutsideTheCourseAreErrors() throws {
        let folder = Self.fixtures.appendingPathComponent("gfm")
        let course = CourseSite(lessonPaths: [folder.appendingPathComponent("input.md").path])
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lessonbook-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var options = HTMLRenderer.Options(katexFolder: nil)
        options.rewriteURL = course.urlRewriter(for: folder.appendingPathComponent("input.md").path, output: output)
        for (prose, fragment) in [("Intro\n\n![x](../../../Package.swift)\n", "outside the course folder"),
                                  ("Intro\n\n![x](figures/missing.png)\n", "names no file"),
                                  ("Intro\n\n[x](/etc/passwd)\n", "absolute path")] {
            let lesson = RenderedLesson(title: "T", sourcePath: "input.md", slug: "input", blocks: [.prose(prose, firstLine: 10)],
                                        status: .passed, seconds: 0)
            XCTAssertThrowsError(try HTMLRenderer.page(lesson, artifacts: ArtifactNames(slug: "input"), options: options)) { error in
                let e = error as? LessonInputError
                XCTAssertEqual(e?.line, 12, "\(error)")
                XCTAssertTrue(e?.message.contains(fragment) == true, "\(error)")
            }
        }
    }

    func testImagesTablesAndPlots() throws {
        let result = try golden("images-tables-plots")
        XCTAssertEqual(result.status, .passed)
        let text = OutputText.text(of: result.runs[0].outputs)
        XCTAssertEqual(text, "[image: edge image, 6×8]\n[image: two maps, 2×6×8]")
    }
}
