import Foundation
import XCTest
@testable import LessonRunner

/// A test case that works in a fresh temporary folder (with an empty `lessons/` in it),
/// removed afterwards, and captures what the commands print in `stdout` and `stderr`.
class TemporaryFolderTestCase: XCTestCase {
    var folder: URL!
    var stdout = ""
    var stderr = ""
    lazy var console = Console(githubAnnotations: false, out: { [unowned self] in self.stdout += $0 },
                               err: { [unowned self] in self.stderr += $0 })

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessonbook-\(type(of: self))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("lessons"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A cell cache in the folder.
    var cache: CellCache { CellCache(root: folder.appendingPathComponent("cache")) }

    /// The `lessons/` folder's path.
    var lessons: String { folder.appendingPathComponent("lessons").path }

    /// Writes a lesson into `lessons/`; returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent("lessons/\(name)").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }
}
