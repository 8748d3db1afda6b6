import Foundation
import XCTest
@testable import LessonRunner

/// `render` never writes over a lesson and never renders two lessons into the same files:
/// each case is the minimal reproduction from issue #14, with the fake engine.
final class OutputNamesTests: TemporaryFolderTestCase {
    let lesson = "# One\n\n```swift id=a\nprint 1\n```\n\n```output\nrecorded\n```\n"

    @discardableResult
    private func write(_ relative: String) throws -> String {
        let url = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try lesson.write(to: url, atomically: false, encoding: .utf8)
        return url.path
    }

    private func assertRefused(paths: [String], output: String, naming names: [String],
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Lessonbook.render(paths: paths, output: output, console: console, executor: LessonExecutor.fake),
                             file: file, line: line) { error in
            XCTAssertTrue(error is UsageError, "\(error)", file: file, line: line)
            for name in names { XCTAssertTrue("\(error)".contains(name), "\(error) names \(name)", file: file, line: line) }
        }
    }

    func testRenderingIntoTheLessonsFolderIsRefusedAndTheLessonKept() throws {
        let path = try write("lessons/a.md")
        let lessons = folder.appendingPathComponent("lessons").path
        assertRefused(paths: [lessons], output: lessons, naming: ["a.md", "over the lesson"])
        assertRefused(paths: [path], output: lessons + "/.", naming: ["a.md"])
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), lesson)
        XCTAssertFalse(FileManager.default.fileExists(atPath: lessons + "/a.html"), "nothing rendered")
    }

    func testAnOutputFolderLinkedToTheLessonsFolderIsRefused() throws {
        let path = try write("lessons/a.md")
        let link = folder.appendingPathComponent("out").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder.appendingPathComponent("lessons").path)
        assertRefused(paths: [path], output: link, naming: ["a.md"])
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), lesson)
    }

    func testAnOutputFolderHoldingTheLessonsFolderIsFineWhenNoNameCollides() throws {
        let path = try write("lessons/a.md")
        XCTAssertEqual(try Lessonbook.render(paths: [folder.appendingPathComponent("lessons").path], output: folder.path,
                                             console: console, executor: LessonExecutor.fake), 0)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), lesson)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.html").path))
    }

    func testWritingALessonsArtifactsNeverReplacesTheLesson() throws {
        let path = try write("lessons/a.md")
        let result = LessonExecutor.fake().run(try LessonDocument.load(path: path))
        XCTAssertThrowsError(try Lessonbook.writeArtifacts(result, to: folder.appendingPathComponent("lessons"))) {
            XCTAssertTrue("\($0)".contains("over the lesson"), "\($0)")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), lesson)
    }

    func testRunOfACellIntoTheLessonsFolderIsRefused() throws {
        let path = try write("lessons/a.md")
        XCTAssertThrowsError(try Lessonbook.run(path: path, cell: "a", output: folder.appendingPathComponent("lessons").path,
                                                console: console, executor: LessonExecutor.fake)) {
            XCTAssertTrue($0 is UsageError, "\($0)")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), lesson)
    }

    func testLessonsWithTheSameRenderedNameAreAnErrorNamingBoth() throws {
        let output = folder.appendingPathComponent("output").path
        for pair in [("a/intro.md", "b/intro.md"), ("x y.md", "x-y.md"), ("é.md", "è.md"), ("Intro.md", "intro.md")] {
            let first = try write("\(pair.0)"), second = try write("\(pair.1)")
            assertRefused(paths: [first, second], output: output, naming: [first, second, "rename"])
            XCTAssertFalse(FileManager.default.fileExists(atPath: output), "refused before anything is written (\(pair))")
        }
    }

    func testALessonNamedLikeASitePageIsRefused() throws {
        let index = try write("lessons/index.md")
        assertRefused(paths: [index], output: folder.appendingPathComponent("output").path, naming: ["index.md", "site"])
        let report = try write("lessons/Report.md")
        assertRefused(paths: [report], output: folder.appendingPathComponent("output").path, naming: ["Report.md"])
    }
}
