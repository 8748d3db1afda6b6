import Foundation
import XCTest
@testable import LessonRunner

/// The lesson file itself under hostile conditions: odd line endings and info strings,
/// symlinks, permissions, edits and kills while `--update` runs.
final class LessonFileReliabilityTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessonfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func file(_ name: String, _ text: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    private func succeeded(_ id: String, _ text: String) -> CellRun {
        CellRun(id: id, line: 1, outputs: [.text(text)], status: .succeeded, seconds: 0)
    }

    private func mode(_ url: URL) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    // MARK: Parsing

    func testCapitalOutputIsAnOutputBlock() throws {
        let doc = try LessonDocument(text: "```swift\nprint(1)\n```\n\n```Output\n1\n```\n", path: "l.md")
        XCTAssertEqual(doc.cells.first?.output?.content, "1")
    }

    func testOutputBlockNotAfterACellIsReported() throws {
        let text = "```swift\nprint(1)\n```\n\n---\n\n```output\n1\n```\n"
        let doc = try LessonDocument(text: text, path: "l.md")
        XCTAssertNil(doc.cells.first?.output)
        XCTAssertEqual(doc.warnings.map(\.line), [7])
        XCTAssert(doc.warnings.first?.message.contains("does not directly follow") == true)
    }

    func testCROnlyLineEndingsAreAnError() {
        let text = "# T\r\r```swift\rprint(1)\r```\r\r```output\r2\r```\r"
        XCTAssertThrowsError(try LessonDocument(text: text, path: "l.md")) { error in
            XCTAssert("\(error)".contains("CR-only line endings"), "\(error)")
        }
    }

    /// Outputs holding CR and NUL bytes are written and read back unchanged.
    func testUpdateRoundTripKeepsCRAndNUL() throws {
        let doc = try LessonDocument(text: "```swift\nprint(1)\n```\n", path: "l.md")
        let output = "a\rb\u{0}c\r\nd\n"
        let updated = try XCTUnwrap(LessonUpdater.updatedText(document: doc, runs: [succeeded("1", output)]))
        let again = try LessonDocument(text: updated, path: "l.md")
        XCTAssertEqual(again.cells.first?.output?.content, OutputText.text(of: [.text(output)]))
        XCTAssertNil(LessonUpdater.updatedText(document: again, runs: [succeeded("1", output)]), "a second update changes nothing")
    }

    /// A CRLF lesson keeps CRLF in the lines an update writes, and compares without the CRs.
    func testCRLFLessonStaysCRLF() throws {
        let doc = try LessonDocument(text: "```swift\r\nprint(1)\r\n```\r\n\r\n```output\r\nold\r\n```\r\n", path: "l.md")
        XCTAssertEqual(doc.cells.first?.output?.content, "old")
        let updated = try XCTUnwrap(LessonUpdater.updatedText(document: doc, runs: [succeeded("1", "1\n")]))
        XCTAssertEqual(updated, "```swift\r\nprint(1)\r\n```\r\n\r\n```output\r\n1\r\n```\r\n")
    }

    // MARK: Writing

    func testUpdateWritesThroughASymlinkedLesson() throws {
        let real = try file("real.md", "```swift\nprint(1)\n```\n")
        let link = folder.appendingPathComponent("link.md")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.md")
        let doc = try LessonDocument.load(path: link.path)
        try LessonUpdater.update(document: doc, runs: [succeeded("1", "1\n")])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "real.md", "the link stays a link")
        XCTAssertEqual(try String(contentsOf: real, encoding: .utf8), "```swift\nprint(1)\n```\n\n```output\n1\n```\n")
        XCTAssertEqual(try mode(real), 0o644)
    }

    func testPermissionsAreKeptAndNewFilesAre0644() throws {
        let lesson = try file("l.md", "```swift\nprint(1)\n```\n")
        chmod(lesson.path, 0o600)
        try LessonUpdater.update(document: try LessonDocument.load(path: lesson.path), runs: [succeeded("1", "1\n")])
        XCTAssertEqual(try mode(lesson), 0o600)
        let fresh = folder.appendingPathComponent("new.html")
        try AtomicFile.write("x", to: fresh)
        XCTAssertEqual(try mode(fresh), 0o644)
    }

    func testStaleTemporaryOfADeadProcessIsRemoved() throws {
        let lesson = try file("l.md", "x")
        // No process has this id (above Linux's largest pid_max).
        let stale = try file(".l.md.99999999.12345.tmp", "half a lesson")
        let alien = try file(".l.md.notours.tmp", "someone else's")
        try AtomicFile.write("y", to: lesson)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: alien.path), "only our own naming is cleaned")
    }

    func testEditSavedDuringTheRunIsNotOverwritten() throws {
        let lesson = try file("l.md", "```swift\nprint(1)\n```\n")
        let doc = try LessonDocument.load(path: lesson.path)
        try Data("```swift\nprint(2)\n```\n".utf8).write(to: lesson)  // the author saves meanwhile
        XCTAssertThrowsError(try LessonUpdater.update(document: doc, runs: [succeeded("1", "1\n")])) { error in
            XCTAssert("\(error)".contains("changed on disk"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: lesson, encoding: .utf8), "```swift\nprint(2)\n```\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["l.md"])
    }

    // MARK: kill -9

    /// The `lessonbook` executable beside the test bundle, if it was built.
    private var lessonbookExecutable: URL? {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug")]
        return candidates.map { $0.appendingPathComponent("lessonbook") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// `kill -9` of `check --update` at random moments leaves the lesson with its old or its new
    /// content, never anything else; the next run cleans up any temporary file. Tries:
    /// `LESSONBOOK_KILL_TRIES` (default 10; the issue's figure is 50). Kills fall in the later 80% of
    /// a run's time, where the update is written.
    func testKillDuringUpdateLeavesOldOrNewContent() throws {
        guard let executable = lessonbookExecutable else { throw XCTSkip("lessonbook executable not built") }
        let tries = ProcessInfo.processInfo.environment["LESSONBOOK_KILL_TRIES"].flatMap(Int.init) ?? 10
        // Cells that take a while, and 2 MB of prose so that writing the file takes a while too.
        let prose = String(repeating: "Some prose to make the file large enough to take time to write.\n", count: 8_000)
        let cell = "```swift\nvar s = 0\nfor i in 0..<300000 { s += i }\nprint(s)\n```\n\n```output\nold\n```\n"
        let old = "# Slow\n\n" + prose + cell + "\n" + cell
        let new = old.replacingOccurrences(of: "```output\nold\n```", with: "```output\n44999850000\n```")
        let lesson = folder.appendingPathComponent("slow.md")

        func run(killAfter seconds: Double?) throws -> Double {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["check", "--update", lesson.path]
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = Date()
            try process.run()
            if let seconds {
                usleep(useconds_t(seconds * 1e6))
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            return Date().timeIntervalSince(start)
        }

        try Data(old.utf8).write(to: lesson)
        let full = try run(killAfter: nil)
        XCTAssertEqual(try String(contentsOf: lesson, encoding: .utf8), new, "an uninterrupted run writes the new content")
        var generator = SystemRandomNumberGenerator()
        var sawOld = 0, sawNew = 0
        for _ in 0..<tries {
            try Data(old.utf8).write(to: lesson)
            _ = try run(killAfter: Double.random(in: (full * 0.3)...(full * 1.1), using: &generator))
            let content = try String(contentsOf: lesson, encoding: .utf8)
            XCTAssert(content == old || content == new, "the lesson is neither its old nor its new content")
            if content == old { sawOld += 1 } else { sawNew += 1 }
        }
        // A complete run afterwards removes any temporary file a kill left behind.
        try Data(old.utf8).write(to: lesson)
        _ = try run(killAfter: nil)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
        print("kill -9 test: \(tries) kills, \(sawOld) old, \(sawNew) new, full run \(String(format: "%.2f", full)) s")
    }
}
