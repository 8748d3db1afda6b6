import Foundation
import XCTest
@testable import LessonRunner

/// The `lessonbook` executable itself (built beside the tests): a lesson that crashes the
/// process, two processes on one lesson, and output reaching a pipe while a cell runs.
final class ProcessTests: TemporaryFolderTestCase {
    /// `.build/<configuration>/lessonbook`, next to the test bundle.
    var binary: String {
        get throws {
            let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
            if directory.lastPathComponent == "MacOS" { directory = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
            let path = directory.appendingPathComponent("lessonbook").path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                // `swift test` builds every product; a missing executable is a failure, not a skip.
                throw LessonInputError(file: path, line: 0, message: "the lessonbook executable is not built next to the tests")
            }
            return path
        }
    }

    /// Starts `lessonbook ARGUMENTS` in the test folder, its stdout and stderr piped.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["LESSONBOOK_PROGRESS"] = "0"
        environment["GITHUB_ACTIONS"] = nil
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let (process, out, err) = try start(arguments, environment: environment)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    func testALessonThatCrashesTheProcessFailsOnlyItself() throws {
        let passing = "# P\n\n```swift\nprint(1 + 1)\n```\n\n```output\n2\n```\n"
        try write("01-first.md", passing)
        try write("02-trap.md", "# T\n\n```swift\nprint(\"before\")\n```\n\n```output\nbefore\n```\n\n```swift\n// lessonbook-test: trap\n```\n")
        try write("03-third.md", passing)
        for jobs in ["1", "2"] {
            let result = try run(["check", "--jobs", jobs, "--junit", "junit.xml", "--no-cache", "lessons"], environment: ["LESSONBOOK_TEST_TRAP": "1"])
            XCTAssertEqual(result.status, 1, result.out + result.err)
            XCTAssertTrue(result.out.contains("PASS lessons/01-first.md") && result.out.contains("PASS lessons/03-third.md"), result.out)
            XCTAssertTrue(result.out.contains("FAIL lessons/02-trap.md"), result.out)
            XCTAssertTrue(result.out.contains("2 passed, 1 failed, 0 skipped"), result.out)
            XCTAssertTrue(result.err.contains("lessons/02-trap.md: the check process for lessons/02-trap.md ended with signal"), result.err)
            let xml = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
            for lesson in ["01-first", "02-trap", "03-third"] {
                XCTAssertTrue(xml.contains("<testsuite name=\"lessons/\(lesson).md\""), xml)
            }
            XCTAssertTrue(xml.contains("<testsuites name=\"lessonbook\" tests=\"3\" failures=\"1\""), xml)
        }
    }

    func testTwoRunCellProcessesOnOneLessonBothLandInThePage() throws {
        let lesson = { (b: String, c: String) in
            "# Two\n\n```swift id=a\nlet base = 10\nprint(base)\n```\n\n```swift id=b\nsleep(0.3)\nprint(base + \(b))\n```\n\n```swift id=c\nsleep(0.3)\nprint(base + \(c))\n```\n"
        }
        try write("two.md", lesson("1", "2"))
        let rendered = try run(["render", "lessons/two.md"])
        XCTAssertEqual(rendered.status, 0, rendered.err)
        try write("two.md", lesson("100", "200"))
        let first = try start(["run", "lessons/two.md", "--cell", "c"])
        let second = try start(["run", "lessons/two.md", "--cell", "b"])
        var results: [(Int32, String, String)] = []
        for (process, out, err) in [first, second] {
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            results.append((process.terminationStatus, output, errors))
        }
        XCTAssertEqual(results[0].0, 0, results[0].2)
        XCTAssertEqual(results[1].0, 0, results[1].2)
        XCTAssertEqual(results[0].1, "210\n")
        XCTAssertEqual(results[1].1, "110\n")
        let page = try String(contentsOf: folder.appendingPathComponent("output/two.md"), encoding: .utf8)
        XCTAssertTrue(page.contains("```output\n110\n```") && page.contains("```output\n210\n```"), page)
        XCTAssertFalse(page.contains("```output\n11\n```") || page.contains("```output\n12\n```"), page)
    }

    func testRunShowsAPrintedLineBeforeTheCellEnds() throws {
        try write("slow.md", "# Slow\n\n```swift\nfor i in 1...2 {\n    print(\"line\", i)\n    sleep(0.6)\n}\n```\n")
        let (process, out, err) = try start(["run", "lessons/slow.md", "--no-cache"],
                                            environment: ["LESSONBOOK_PROGRESS": "", "LESSONBOOK_HEARTBEAT": "0.5"])
        let started = Date()
        var firstLine: Double?
        var text = ""
        while true {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if firstLine == nil, text.contains("line 1\n") { firstLine = Date().timeIntervalSince(started) }
        }
        process.waitUntilExit()
        let ended = Date().timeIntervalSince(started)
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(text, "line 1\nline 2\n")
        // Not a terminal: a heartbeat names the running cell.
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(errors.contains("  still running: lessons/slow.md: cell 1 · "), errors)
        let first = try XCTUnwrap(firstLine)
        XCTAssertGreaterThan(ended - first, 0.8, "the first line arrived \(first) s after the start, the cell ended at \(ended) s")
    }
}
