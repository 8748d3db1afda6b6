import Foundation
import XCTest
@testable import LessonRunner

/// The rules that keep `check` from passing by accident in CI, and the terminal behaviour of
/// `run`: each with the fake engine on a temporary folder.
final class CheckRulesTests: TemporaryFolderTestCase {
    let passing = "# One\n\n```swift id=a\nprint 1\n```\n\n```output\n1\n```\n"
    let skipped = "---\nrequires: /nonexistent/lessonbook-data.gz\n---\n# Data\n\n```swift\nprint 1\n```\n\n```output\n1\n```\n"

    func testACellThatPrintsWithoutAnOutputBlockFails() throws {
        let path = try write("01.md", "# A\n\n```swift id=quiet\nset x\n```\n\n```swift id=loud\nprint hello\n```\n\n```swift nondeterministic\nprint 3\n```\n\n```swift no-check\nprint 4\n```\n")
        XCTAssertEqual(try Lessonbook.check(paths: [path], console: console, executor: LessonExecutor.fake), 1)
        XCTAssertTrue(stderr.contains("\(path):7: cell loud: no expected output recorded; run `lessonbook check --update`"), stderr)
        XCTAssertFalse(stderr.contains("cell quiet") || stderr.contains("cell 3") || stderr.contains("cell 4"), stderr)
        var update = Lessonbook.CheckOptions()
        update.update = true
        XCTAssertEqual(try Lessonbook.check(paths: [path], options: update, console: console, executor: LessonExecutor.fake), 0)
        XCTAssertEqual(try Lessonbook.check(paths: [path], console: console, executor: LessonExecutor.fake), 0)
    }

    func testASkippedLessonIsReportedAsSkippedEverywhere() throws {
        try write("01-one.md", passing)
        let data = try write("02-data.md", skipped)
        let junit = folder.appendingPathComponent("junit.xml").path
        var options = Lessonbook.CheckOptions()
        options.junit = junit
        console.githubAnnotations = true
        XCTAssertEqual(try Lessonbook.check(paths: [lessons], options: options, console: console, executor: LessonExecutor.fake), 0)
        XCTAssertTrue(stdout.contains("SKIP \(data)"), stdout)
        XCTAssertTrue(stdout.contains("1 passed, 0 failed, 1 skipped"), stdout)
        XCTAssertTrue(stdout.contains("::warning file=\(data.replacingOccurrences(of: ":", with: "%3A")),line=1::skipped: requires /nonexistent/lessonbook-data.gz, which is missing"), stdout)
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        XCTAssertTrue(xml.contains("<testsuite name=\"\(data)\" tests=\"1\" failures=\"0\" skipped=\"1\""), xml)
        XCTAssertTrue(xml.contains("<skipped message=\"requires /nonexistent/lessonbook-data.gz, which is missing\"/>"), xml)

        // --strict: the skip fails the run.
        stdout = ""
        options.strict = true
        XCTAssertEqual(try Lessonbook.check(paths: [lessons], options: options, console: console, executor: LessonExecutor.fake), 1)
        XCTAssertTrue(stdout.contains("1 passed, 1 failed, 0 skipped"), stdout)
        XCTAssertTrue(try String(contentsOfFile: junit, encoding: .utf8).contains("<failure message=\"skipped (--strict): requires"))
    }

    func testOutputPathsThatCannotBeWrittenAreUsageErrorsBeforeAnythingRuns() throws {
        let path = try write("01.md", passing)
        var options = Lessonbook.CheckOptions()
        options.junit = folder.appendingPathComponent("no-such-folder/junit.xml").path
        var ran = false
        XCTAssertThrowsError(try Lessonbook.check(paths: [path], options: options, console: console,
                                                  executor: { ran = true; return LessonExecutor.fake() })) {
            XCTAssertTrue($0 is UsageError, "\($0)")
            XCTAssertTrue("\($0)".contains("--junit"), "\($0)")
        }
        XCTAssertFalse(ran)
        options.junit = lessons  // a folder
        XCTAssertThrowsError(try Lessonbook.check(paths: [path], options: options, console: console, executor: LessonExecutor.fake))
        let blocker = folder.appendingPathComponent("file").path
        try "x".write(toFile: blocker, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try Lessonbook.render(paths: [path], output: blocker + "/out", console: console, executor: LessonExecutor.fake)) {
            XCTAssertTrue($0 is UsageError, "\($0)")
        }
    }

    func testAFolderWithNoLessonsIsAUsageError() throws {
        let empty = folder.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try Lessonbook.check(paths: [empty], console: console, executor: LessonExecutor.fake)) {
            XCTAssertEqual("\($0)", "no lessons found in \(empty)")
        }
    }

    func testShardsAreDisjointAndCoverTheLessons() throws {
        for index in 1...7 { try write(String(format: "%02d.md", index), passing) }
        let all = try Lessonbook.lessonPaths([lessons])
        for count in 1...4 {
            let parts = (1...count).map { Lessonbook.lessons(all, inShard: Lessonbook.Shard(index: $0, count: count)) }
            XCTAssertEqual(parts.flatMap { $0 }.sorted(), all, "\(count) shards cover every lesson once")
            XCTAssertLessThanOrEqual(parts.map(\.count).max()! - parts.map(\.count).min()!, 1)
        }
        XCTAssertEqual(Lessonbook.lessons(all, inShard: try Lessonbook.Shard(parsing: "2/3")).map { ($0 as NSString).lastPathComponent },
                       ["02.md", "05.md"])
        XCTAssertThrowsError(try Lessonbook.Shard(parsing: "4/3"))
        XCTAssertThrowsError(try Lessonbook.Shard(parsing: "0/3"))
        var options = Lessonbook.CheckOptions()
        options.shard = Lessonbook.Shard(index: 3, count: 3)
        XCTAssertEqual(try Lessonbook.check(paths: [lessons], options: options, console: console, executor: LessonExecutor.fake), 0)
        XCTAssertTrue(stdout.contains("2 passed, 0 failed, 0 skipped"), stdout)
        XCTAssertTrue(stdout.contains("PASS \(lessons)/03.md") && stdout.contains("PASS \(lessons)/06.md"), stdout)
    }

    func testCheckedFileNamesCannotStartAWorkflowCommand() throws {
        let name = "x\n::warning file=x::injected.md"
        let path = folder.appendingPathComponent("lessons/\(name)").path
        try "# X\n\n```swift\nprint 2\n```\n\n```output\n3\n```\n".write(toFile: path, atomically: false, encoding: .utf8)
        console.githubAnnotations = true
        XCTAssertEqual(try Lessonbook.check(paths: [path], console: console, executor: LessonExecutor.fake), 1)
        for line in (stdout + stderr).split(separator: "\n") where line.hasPrefix("::") {
            XCTAssertTrue(line.hasPrefix("::error file=") && !line.contains("\n"), String(line))
            XCTAssertFalse(line.hasPrefix("::warning"), String(line))
        }
        XCTAssertTrue((stdout + stderr).contains("\n:\u{200B}:warning file=x"), stdout + stderr)
    }

    func testRunPrintsEachLineAsTheCellPrintsIt() throws {
        let path = try write("01.md", "# Slow\n\n```swift id=slow\nprint first\nsleep 0.4\nprint second\n```\n")
        let started = Date()
        var arrivals: [(String, Double)] = []
        let console = Console(githubAnnotations: false, out: { arrivals.append(($0, Date().timeIntervalSince(started))) }, err: { _ in })
        XCTAssertEqual(try Lessonbook.run(path: path, console: console, executor: LessonExecutor.fake), 0)
        let text = arrivals.map(\.0).joined()
        XCTAssertEqual(text, "first\nsecond\n")
        let first = try XCTUnwrap(arrivals.first { $0.0.contains("first") }?.1)
        let second = try XCTUnwrap(arrivals.first { $0.0.contains("second") }?.1)
        XCTAssertGreaterThan(second - first, 0.3, "the first line reached stdout before the cell ended")
    }

    func testALessonWithAMissingRequirementIsRenderedFromItsRecordsOrItsOutputBlocks() throws {
        let data = folder.appendingPathComponent("data.bin").path
        try "data".write(toFile: data, atomically: false, encoding: .utf8)
        let path = try write("01-data.md", "---\nrequires: \(data)\n---\n# D\n\n```swift\nprint fresh\nimage pic\n```\n\n```output\nwritten\n```\n")
        let cache = CellCache(root: folder.appendingPathComponent("cache"))
        let output = folder.appendingPathComponent("output").path
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: output, console: console, executor: { LessonExecutor.fake(cache: cache) }), 0)
        try FileManager.default.removeItem(atPath: data)
        stdout = ""
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: output, console: console, executor: { LessonExecutor.fake(cache: cache) }), 0)
        XCTAssertTrue(stdout.contains("SKIP \(path)"), stdout)
        var page = try String(contentsOfFile: output + "/01-data.html", encoding: .utf8)
        XCTAssertTrue(page.contains("its outputs are from its last run"), page)
        XCTAssertTrue(try String(contentsOfFile: output + "/01-data.md", encoding: .utf8).contains("```output\nfresh\n[image: pic, 2×3]\n```"))
        // Without records: the output blocks written in the lesson.
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: output, console: console, executor: LessonExecutor.fake), 0)
        page = try String(contentsOfFile: output + "/01-data.html", encoding: .utf8)
        XCTAssertTrue(page.contains("its outputs are the ones recorded in the lesson") && page.contains("written"), page)
    }

    func testAPageNeverShowsOldOutputAfterACellThatFailsNow() throws {
        let flag = folder.appendingPathComponent("flag").path
        let path = try write("01.md", "# F\n\n```swift\nprint one\nfailif \(flag)\n```\n\n```swift\nprint two\n```\n")
        let cache = CellCache(root: folder.appendingPathComponent("cache"))
        let output = folder.appendingPathComponent("output").path
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: output, console: console, executor: { LessonExecutor.fake(cache: cache) }), 0)
        XCTAssertTrue(try String(contentsOfFile: output + "/01.md", encoding: .utf8).contains("```output\ntwo\n```"))
        // Records with valid keys stay, but a fresh run fails at the first cell this time.
        try "x".write(toFile: flag, atomically: false, encoding: .utf8)
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: output, fresh: true, console: console,
                                             executor: { LessonExecutor.fake(cache: cache) }), 1)
        let page = try String(contentsOfFile: output + "/01.md", encoding: .utf8)
        XCTAssertTrue(page.contains("flag exists"), page)
        XCTAssertFalse(page.contains("```output\ntwo\n```"), "the second cell did not run: \(page)")
    }

    func testRunCellThatCannotWriteThePageFails() throws {
        let path = try write("01.md", passing)
        let blocker = folder.appendingPathComponent("file").path
        try "x".write(toFile: blocker, atomically: false, encoding: .utf8)
        XCTAssertEqual(try Lessonbook.run(path: path, cell: "a", output: blocker, console: console, executor: LessonExecutor.fake), 1)
        XCTAssertTrue(stderr.contains("cannot write the rendered lesson"), stderr)
    }

    func testASymlinkPlantedInTheOutputFolderIsNotFollowed() throws {
        let path = try write("05-pictures.md", "# P\n\n```swift id=maps\nimage edge map\nplot loss\n```\n")
        let output = folder.appendingPathComponent("output")
        let outside = folder.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: output.appendingPathComponent("05-pictures"), withDestinationURL: outside)
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: output.path, console: console, executor: LessonExecutor.fake), 1)
        XCTAssertTrue(stderr.contains("refusing to write outside the output folder: 05-pictures/maps-1.png"), stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), [])
    }

    func testVerdictsAreColouredOnlyWhenAsked() {
        let plain = Console(githubAnnotations: false, out: { _ in }, err: { _ in })
        XCTAssertEqual(plain.verdict(.passed), "PASS")
        plain.colors = true
        XCTAssertEqual(plain.verdict(.failed), "\u{1B}[1;31mFAIL\u{1B}[0m")
    }
}
