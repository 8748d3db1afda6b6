import Foundation
import XCTest
@testable import LessonRunner

/// The commands end to end on temporary lesson folders, with the fake engine.
final class CommandTests: TemporaryFolderTestCase {
    private func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    private func options(update: Bool = false, junit: String? = nil, strict: Bool = false) -> Lessonbook.CheckOptions {
        var options = Lessonbook.CheckOptions()
        options.update = update
        options.junit = junit
        options.strict = strict
        return options
    }

    let passing = "# One\n\n```swift id=a\nprint 1\n```\n\n```output\n1\n```\n"
    let differing = "# Two\n\n```swift\nprint 0.5000\nprint 7\n```\n\n```output\n0.2500\n7\n```\n"

    func testCheckExitStatusAndNoModification() throws {
        let good = try write("01-one.md", passing)
        let bad = try write("02-two.md", differing)
        XCTAssertEqual(try Lessonbook.check(paths: [good], console: console, executor: LessonExecutor.fake), 0)
        XCTAssertTrue(stdout.contains("PASS \(good)"))
        stdout = ""
        XCTAssertEqual(try Lessonbook.check(paths: [folder.appendingPathComponent("lessons").path], console: console, executor: LessonExecutor.fake), 1)
        XCTAssertTrue(stderr.contains("\(bad):8: cell 1: output differs"), stderr)
        XCTAssertTrue(stderr.contains("-0.2500\n+0.5000"), stderr)
        XCTAssertTrue(stderr.contains("largest numeric difference: 0.25 at output line 1 (expected 0.2500, got 0.5000)"), stderr)
        XCTAssertEqual(try read(good), passing)
        XCTAssertEqual(try read(bad), differing)
        XCTAssertThrowsError(try Lessonbook.check(paths: [folder.appendingPathComponent("none.md").path], console: console)) {
            XCTAssertTrue($0 is UsageError)
        }
    }

    func testFolderExpansionSkipsTheReadme() throws {
        try write("README.md", "# The course\n")
        let first = try write("01-one.md", passing)
        let second = try write("02-two.md", differing)
        let lessons = folder.appendingPathComponent("lessons").path
        XCTAssertEqual(try Lessonbook.lessonPaths([lessons]), [first, second])
        XCTAssertEqual(try Lessonbook.lessonPaths([lessons + "/README.md"]), [lessons + "/README.md"], "named explicitly, it is checked")
    }

    func testUpdateThenCheckPasses() throws {
        let path = try write("02-two.md", differing + "\n```swift id=new\nprint fresh\n```\ntail")
        XCTAssertEqual(try Lessonbook.check(paths: [path], options: options(update: true), console: console, executor: LessonExecutor.fake), 0)
        XCTAssertEqual(try read(path), "# Two\n\n```swift\nprint 0.5000\nprint 7\n```\n\n```output\n0.5000\n7\n```\n\n```swift id=new\nprint fresh\n```\n\n```output\nfresh\n```\ntail")
        XCTAssertEqual(try Lessonbook.check(paths: [path], console: console, executor: LessonExecutor.fake), 0)
    }

    func testJUnitAndAnnotations() throws {
        let path = try write("02-two.md", differing)
        let junit = folder.appendingPathComponent("report.xml").path
        console.githubAnnotations = true
        XCTAssertEqual(try Lessonbook.check(paths: [path], options: options(junit: junit), console: console, executor: LessonExecutor.fake), 1)
        let xml = try read(junit)
        XCTAssertTrue(xml.contains("<testsuite name=\"\(path)\" tests=\"1\" failures=\"1\""), xml)
        XCTAssertTrue(xml.contains("<failure message=\"cell 1: output differs\">"), xml)
        XCTAssertTrue(stdout.contains("::error file=\(path.replacingOccurrences(of: ":", with: "%3A")),line=8::cell 1: output differs%0A"), stdout)
        XCTAssertEqual(Console.annotation(file: "a,b.md", line: 3, message: "50% done\nnext"), "::error file=a%2Cb.md,line=3::50%25 done%0Anext\n")
    }

    func testBadInputIsAnErrorWithItsLineAndOthersStillRender() throws {
        let broken = try write("01-broken.md", "# B\n\n```swift\nprint 1\n")
        try write("02-ok.md", passing)
        let unknown = try write("03-unknown.md", "```swift hid\nprint 1\n```\n")
        try write("04-empty.md", "# Nothing\n")
        let output = folder.appendingPathComponent("output").path
        XCTAssertEqual(try Lessonbook.render(paths: [folder.appendingPathComponent("lessons").path], output: output,
                                             console: console, executor: LessonExecutor.fake), 1)
        XCTAssertTrue(stderr.contains("\(broken):3: error: unterminated ```swift fence"), stderr)
        XCTAssertTrue(stderr.contains("\(unknown):1: error: unknown cell option 'hid'"), stderr)
        XCTAssertTrue(stderr.contains("04-empty.md:1: warning: empty lesson"), stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/02-ok.html"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/04-empty.html"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + "/01-broken.html"))
    }

    func testRenderWritesEveryArtifactAndTheRenderedLessonChecks() throws {
        let source = "---\ntitle: Pictures\n---\n# P\n\n```swift id=maps\nprint shown\nimage edge map\nimage second\nplot loss\ntable\n```\n"
        let path = try write("05-pictures.md", source)
        let output = folder.appendingPathComponent("output").path
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: output, console: console, executor: LessonExecutor.fake), 0)
        for file in ["05-pictures.md", "05-pictures.html", "index.html", "05-pictures/maps-1.png", "05-pictures/maps-1.pgm",
                     "05-pictures/maps-2.png", "05-pictures/maps-2.pgm", "05-pictures/maps-1.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/" + file), file)
        }
        XCTAssertEqual(try read(path), source, "render never modifies the lesson")
        let rendered = try read(output + "/05-pictures.md")
        XCTAssertTrue(rendered.contains("![edge map](05-pictures/maps-1.png)\n![second](05-pictures/maps-2.png)\n![loss](05-pictures/maps-1.svg)"), rendered)
        XCTAssertEqual(try Lessonbook.check(paths: [output + "/05-pictures.md"], console: console, executor: LessonExecutor.fake), 0)
        let index = try read(output + "/index.html")
        XCTAssertTrue(index.contains("05-pictures.html"))
    }

    func testRunCellUpdatesThatCellOnlyAndNeverShowsStaleOutput() throws {
        let source = "```swift\nset x\nprint first\n```\n\n```swift id=b\nget x\nprint second\n```\n\n```swift\nprint third\nimage pic\n```\n"
        let path = try write("06-run.md", source)
        let output = folder.appendingPathComponent("output").path
        let executor = { LessonExecutor.fake(cache: self.cache) }
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: output, console: console, executor: executor), 0)
        stdout = ""
        // Edit only cell b, then rerun just it: it prints its new output; the page shows it,
        // and not the third cell's old output (its record is stale: an earlier cell changed).
        let edited = source.replacingOccurrences(of: "print second", with: "print changed")
        try edited.write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(try Lessonbook.run(path: path, cell: "b", output: output, console: console, executor: executor), 0)
        XCTAssertEqual(stdout, "x is set\nchanged\n")
        XCTAssertTrue(stderr.contains("cell b: executed 2 cells, reused 0 (no stored state before it: ran from the top)"), stderr)
        let afterCell = try read(output + "/06-run.md")
        XCTAssertTrue(afterCell.contains("```output\nx is set\nchanged\n```"), afterCell)
        XCTAssertFalse(afterCell.contains("third\n[image"), "stale output of a later cell: \(afterCell)")
        XCTAssertFalse(afterCell.contains("second"), afterCell)
        // Running the last cell then completes the page: the same as a full render of the edited lesson.
        XCTAssertEqual(try Lessonbook.run(path: path, cell: "3", output: output, console: console, executor: executor), 0)
        XCTAssertTrue(stderr.contains("cell 3: executed 3 cells, reused 0"), stderr)
        let fresh = folder.appendingPathComponent("fresh").path
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: fresh, fresh: true, console: console, executor: LessonExecutor.fake), 0)
        XCTAssertEqual(try read(output + "/06-run.md"), try read(fresh + "/06-run.md"))
        XCTAssertEqual(try read(path), edited, "run --cell without --update leaves the lesson alone")
        XCTAssertEqual(try Lessonbook.run(path: path, cell: "2", update: true, output: output, console: console, executor: executor), 0)
        XCTAssertTrue(stderr.contains("cell b: executed 0 cells, reused 2"), stderr)
        XCTAssertEqual(try read(path), edited.replacingOccurrences(of: "print changed\n```\n", with: "print changed\n```\n\n```output\nx is set\nchanged\n```\n"))
        XCTAssertThrowsError(try Lessonbook.run(path: path, cell: "zz", console: console, executor: LessonExecutor.fake))
    }

    func testRunScriptAsOneCellLesson() throws {
        let script = folder.appendingPathComponent("s.swift").path
        try "print hello\nfail oops".write(toFile: script, atomically: false, encoding: .utf8)
        XCTAssertEqual(try Lessonbook.run(path: script, console: console, executor: LessonExecutor.fake), 1)
        XCTAssertEqual(stdout, "hello\n")
        XCTAssertTrue(stderr.contains("lesson.md:2:1: error: oops"), "script lines count from 1: \(stderr)")
    }

    func testWatchRendersAndReportsChanges() throws {
        let path = try write("07-watch.md", passing)
        let output = folder.appendingPathComponent("output").path
        XCTAssertEqual(try Lessonbook.watch(path: path, output: output, interval: 0.01, console: console, iterations: 1,
                                            executor: LessonExecutor.fake), 0)
        XCTAssertTrue(stdout.hasPrefix("PASS \(path) (1 cells, 1 compared"), stdout)
        XCTAssertTrue(stdout.hasSuffix("── cell a ──\n1\n"), stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + "/07-watch.html"))
    }
}
