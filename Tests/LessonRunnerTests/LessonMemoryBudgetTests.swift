import Foundation
import XCTest
import TensorEngine
@testable import LessonRunner

/// `memory:` in a lesson's front matter is the engine's memory budget while the lesson runs.
final class LessonMemoryBudgetTests: XCTestCase {
    func testSizesInFrontMatter() throws {
        XCTAssertEqual(ByteSize.parse("2 GiB"), 2 << 30)
        XCTAssertEqual(ByteSize.parse("512MiB"), 512 << 20)
        XCTAssertEqual(ByteSize.parse("1.5 GB"), 1_500_000_000)
        XCTAssertEqual(ByteSize.parse("500M"), 500 << 20)
        XCTAssertEqual(ByteSize.parse("4096"), 4096)
        for bad in ["", "-1 GiB", "2 GB2", "lots", "1e30 TiB", "nan", "99999999999999999999 TiB"] {
            XCTAssertNil(ByteSize.parse(bad), bad)
        }
        // A memory budget of nothing is refused, like any other bad size.
        XCTAssertThrowsError(try LessonDocument(text: "---\nmemory: 0\n---\n# M\n", path: "m.md"))
        let document = try LessonDocument(text: "---\nmemory: 64 MiB\n---\n# M\n", path: "m.md")
        XCTAssertEqual(document.frontMatter.memoryBudget, 64 << 20)
        XCTAssertThrowsError(try LessonDocument(text: "---\nmemory: plenty\n---\n# M\n", path: "m.md")) {
            XCTAssertTrue("\($0)".contains("m.md:2"), "\($0)")
        }
    }

    /// The reproduction: a lesson that keeps a tensor every step stops with the engine's memory
    /// error at its own budget, and the process's budget comes back after it.
    func testALessonRetainingTensorsStopsAtItsBudget() throws {
        let budget = EngineLimits.liveTensorBytes + (64 << 20)
        let text = """
        ---
        memory: \(budget)
        ---
        # Retain

        ```swift id=grow
        var kept: [Tensor] = []
        for i in 0..<1000 { kept.append(zeros(1024, 256)) }
        print(kept.count)
        ```

        ```swift id=after
        print("not reached")
        ```
        """
        let saved = EngineLimits.memoryBudgetBytes
        let document = try LessonDocument(text: text, path: "retain.md")
        let result = LessonExecutor(host: RecordingHost(showsProgress: false)).run(document)
        XCTAssertEqual(EngineLimits.memoryBudgetBytes, saved, "the process's budget is restored")
        guard case .failed(let message) = result.runs[0].status else { return XCTFail("\(result.runs[0].status)") }
        XCTAssertTrue(message.contains("would bring the memory of live tensors to more than the budget"), message)
        if case .notRun = result.runs[1].status {} else { XCTFail("\(result.runs[1].status)") }
    }
}
