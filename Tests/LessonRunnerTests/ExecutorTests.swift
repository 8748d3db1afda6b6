import Foundation
import LessonScript
import TensorEngine
import XCTest
@testable import LessonRunner

final class ExecutorTests: XCTestCase {
    private func run(_ text: String, lastCell: Int? = nil) throws -> LessonResult {
        LessonExecutor.fake().run(try LessonDocument(text: text, path: "lesson.md"), lastCell: lastCell)
    }

    private func texts(_ result: LessonResult) -> [String] { result.runs.map { OutputText.text(of: $0.outputs) } }

    func testCellsShareStateAndRunInOrder() throws {
        let result = try run("```swift\nset x\nprint one\n```\n\n```swift id=two\nget x\n```\n")
        XCTAssertEqual(result.status, .passed)
        XCTAssertEqual(texts(result), ["one", "x is set"])
        XCTAssertEqual(result.runs.map(\.id), ["1", "two"])
        XCTAssertEqual(result.runs.map(\.line), [1, 6])
    }

    func testFailingCellStopsTheLesson() throws {
        let result = try run("```swift\nprint a\n```\n```swift id=bad\nprint before\nfail boom\n```\n```swift\nprint never\n```\n")
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.runs[1].status, .failed(message: "lesson.md:6:1: error: boom"))
        XCTAssertEqual(texts(result)[1], "before")
        XCTAssertEqual(result.runs[2].status, .notRun(reason: "not run: cell bad failed"))
        XCTAssertTrue(result.runs[2].outputs.isEmpty)
    }

    func testExpectErrorRecordsTheErrorAsOutput() throws {
        let result = try run("```swift expect-error\nprint partial\nfail index out of range\n```\n```swift\nprint after\n```\n")
        XCTAssertEqual(result.status, .passed)
        XCTAssertEqual(result.runs[0].status, .succeeded)
        XCTAssertEqual(texts(result), ["partial\nerror: index out of range", "after"])
    }

    func testExpectErrorThatDoesNotFailFailsTheLesson() throws {
        let result = try run("```swift expect-error\nprint fine\n```\n```swift\nprint after\n```\n")
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.runs[0].status, .unexpectedSuccess)
        XCTAssertEqual(result.runs[1].status, .succeeded)
    }

    func testSkipCellsDoNotRun() throws {
        let result = try run("```swift skip\nfail never\n```\n```swift\nprint ok\n```\n")
        XCTAssertEqual(result.status, .passed)
        XCTAssertEqual(result.runs[0].status, .notRun(reason: "skip"))
    }

    func testTimeoutStopsTheCell() throws {
        let started = Date()
        let result = try run("```swift timeout=0.2\nprint started\nloop\n```\n```swift\nprint never\n```\n")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(result.runs[0].status, .timedOut(seconds: 0.2))
        XCTAssertEqual(texts(result)[0], "started")
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.runs[1].status, .notRun(reason: "not run: cell 1 failed"))
        // The lesson's timeout applies when the cell has none.
        let lessonWide = try run("---\ntimeout: 0.1\n---\n```swift\nloop\n```\n")
        XCTAssertEqual(lessonWide.runs[0].status, .timedOut(seconds: 0.1))
    }

    func testSeedIsSetBeforeTheFirstCell() throws {
        RandomGenerator.global = RandomGenerator(seed: 999)
        let a = try run("---\nseed: 7\n---\n```swift\nrandom\n```\n")
        RandomGenerator.global = RandomGenerator(seed: 12345)
        let b = try run("---\nseed: 7\n---\n```swift\nrandom\n```\n")
        let c = try run("---\nseed: 8\n---\n```swift\nrandom\n```\n")
        XCTAssertEqual(texts(a), texts(b))
        XCTAssertNotEqual(texts(a), texts(c))
        manualSeed(7)
        var expected = RandomGenerator.global
        XCTAssertEqual(texts(a), ["\(expected.nextUInt64() % 1000)"])
    }

    func testMissingRequirementSkipsTheLesson() throws {
        let result = try run("---\nrequires: /nonexistent/data.gz\n---\n```swift\nprint x\n```\n")
        XCTAssertEqual(result.status, .skipped(reason: "requires /nonexistent/data.gz, which is missing"))
        XCTAssertEqual(result.runs[0].status, .notRun(reason: "requires /nonexistent/data.gz, which is missing"))
    }

    func testLastCellLimitsTheRun() throws {
        let result = try run("```swift\nprint 1\n```\n```swift\nprint 2\n```\n```swift\nprint 3\n```\n", lastCell: 2)
        XCTAssertEqual(texts(result), ["1", "2", ""])
        XCTAssertEqual(result.runs[2].status, .notRun(reason: "not requested"))
    }

    func testRichOutputsAndMergedText() throws {
        let result = try run("```swift\nwrite a\nwrite b\nprint c\nimage edge map\ntable\nplot loss\nvalue tensor([1, 2])\n```\n")
        XCTAssertEqual(result.runs[0].outputs.count, 5, "consecutive text is merged into one output")
        XCTAssertEqual(texts(result)[0], """
        abc
        [image: edge map, 2×3]
        | Layer | Params |
        | ----- | -----: |
        | conv  |    156 |
        | fc    |  1,200 |
        [plot: loss, 3 points]
        tensor([1, 2])
        """)
    }

    func testRenderedLessonLeavesOutFrontMatterAndOldOutputs() throws {
        let result = try run("---\ntitle: T\n---\nIntro\n```swift hide\nprint new\n```\n\n```output\nold\n```\nEnd\n")
        let rendered = result.rendered
        XCTAssertEqual(rendered.title, "T")
        XCTAssertEqual(rendered.slug, "lesson")
        XCTAssertEqual(rendered.blocks.count, 3)
        guard case .prose(let intro, let introLine) = rendered.blocks[0], case .cell(let source, let options, _) = rendered.blocks[1],
              case .prose(let end, _) = rendered.blocks[2] else { return XCTFail("\(rendered.blocks)") }
        XCTAssertEqual(intro, "Intro")
        XCTAssertEqual(introLine, 4)
        XCTAssertEqual(source, "print new")
        XCTAssertTrue(options.hide)
        XCTAssertEqual(end, "End\n")
    }

    func testPrintedOutputIsCapped() {
        let host = RecordingHost(printLimit: 100, showsProgress: false)
        host.beginCell(timeout: 10)
        for _ in 0..<50 { host.write("0123456789\n") }
        let text = OutputText.text(of: host.endCell())
        XCTAssertLessThan(text.utf8.count, 200)
        XCTAssertTrue(text.hasSuffix("… output truncated: the cell printed more than 0 KiB …"), text)
    }

    func testMarkdownRenderingIsACheckableLesson() throws {
        let text = "# L\n```swift id=pic\nprint hi\nimage edges\nplot loss\n```\n```swift expect-error\nfail nope\n```\n"
        let result = try run(text)
        let markdown = MarkdownRenderer.render(result)
        XCTAssertEqual(markdown, """
        # L
        ```swift id=pic
        print hi
        image edges
        plot loss
        ```

        ```output
        hi
        [image: edges, 2×3]
        [plot: loss, 3 points]
        ```

        ![edges](lesson/pic-1.png)
        ![loss](lesson/pic-1.svg)

        ```swift expect-error
        fail nope
        ```

        ```output
        error: nope
        ```

        """)
        // Checking the rendered lesson passes: rerun it and compare every block.
        let again = LessonExecutor.fake().run(try LessonDocument(text: markdown, path: "output/lesson.md"))
        for (cell, run) in zip(again.document.cells, again.runs) {
            let block = try XCTUnwrap(cell.output)
            XCTAssertTrue(OutputComparison().compare(expected: block.content, actual: OutputText.text(of: run.outputs)).matches)
        }
        XCTAssertEqual(MarkdownRenderer.render(again), markdown, "rendering the rendered lesson changes nothing")
    }
}
