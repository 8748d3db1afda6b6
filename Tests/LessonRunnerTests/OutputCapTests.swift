import Foundation
import XCTest
import LessonScript
import TensorEngine
@testable import LessonRunner

/// One cap for everything a cell shows: printed text, its last value, tables, images, plots
/// and diagrams count against the same budget, with one note saying what was cut.
final class OutputCapTests: XCTestCase {
    private func record(limit: Int, _ body: (RecordingHost) throws -> Void) rethrows -> [CellOutput] {
        let host = RecordingHost(printLimit: limit, showsProgress: false)
        host.beginCell(timeout: 60)
        try body(host)
        return host.endCell()
    }

    private func text(_ outputs: [CellOutput]) -> String { OutputText.text(of: outputs) }

    func testAHugeLastValueIsCutWithANote() {
        let outputs = record(limit: 1000) { $0.display(.value(String(repeating: "é", count: 5000))) }
        guard case .rich(.value(let kept)) = outputs.first else { return XCTFail("\(outputs)") }
        XCTAssertEqual(kept.utf8.count, 1000)
        XCTAssertTrue(text(outputs).contains("output truncated: the value was cut"), text(outputs))
    }

    func testPrintedTextAndValuesShareOneBudget() {
        let outputs = record(limit: 1000) { host in
            host.write(String(repeating: "a", count: 600) + "\n")
            host.display(.value(String(repeating: "b", count: 600)))
            host.display(.value("after the cut"))
        }
        XCTAssertLessThan(text(outputs).utf8.count, 1200)
        XCTAssertFalse(text(outputs).contains("after the cut"))
        XCTAssertEqual(text(outputs).components(separatedBy: "output truncated").count, 2, "one note")
    }

    func testAHugeTableKeepsTheRowsThatFit() {
        let rows = (0..<10_000).map { ["row \($0)", String(repeating: "x", count: 50)] }
        let outputs = record(limit: 4096) { $0.display(.table(OutputTable(headers: ["name", "data"], rows: rows, footerStart: 9_999))) }
        guard case .rich(.table(let table)) = outputs.first else { return XCTFail("\(outputs)") }
        XCTAssertGreaterThan(table.rows.count, 10)
        XCTAssertLessThan(table.rows.count, 100)
        XCTAssertNil(table.footerStart)
        XCTAssertTrue(text(outputs).contains("the table was cut"), text(outputs))
    }

    func testImagesAndPlotsPastTheCapAreLeftOutWithANote() throws {
        let big = try Tensor(shape: [300, 300], scalars: [Float](repeating: 0.5, count: 90_000))
        var outputs = record(limit: 100_000) { $0.display(.image(OutputImage(title: "big", pixels: big))) }
        XCTAssertEqual(outputs.count, 1)
        XCTAssertTrue(text(outputs).contains("the image was cut"), text(outputs))
        let points = (0..<100_000).map(Double.init)
        outputs = record(limit: 100_000) { $0.display(.plot(OutputPlot(title: "p", series: [.init(name: "s", x: points, y: points)]))) }
        XCTAssertTrue(text(outputs).contains("the plot was cut"), text(outputs))
        let small = try Tensor(shape: [2, 2], scalars: [0, 1, 2, 3])
        outputs = record(limit: 100_000) { $0.display(.image(OutputImage(title: "small", pixels: small))) }
        guard case .rich(.image) = outputs.first else { return XCTFail("a small image is kept: \(outputs)") }
    }

    /// The reproduction: `check --update` of a cell whose last value is 3 MB wrote it all into
    /// the lesson; now the block holds at most the cap and the note.
    func testCheckUpdateNeverWritesAnOutputBlockPastTheCap() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("r2-cap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("big.md").path
        try "# Big\n\n```swift id=a\nbigvalue 3000000\n```\n".write(toFile: path, atomically: false, encoding: .utf8)
        var options = Lessonbook.CheckOptions()
        options.update = true
        _ = try Lessonbook.check(paths: [path], options: options, console: Console(githubAnnotations: false, out: { _ in }, err: { _ in }),
                                 executor: LessonExecutor.fake)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertGreaterThan(written.utf8.count, 1 << 19)
        XCTAssertLessThan(written.utf8.count, (1 << 20) + 1024)
        XCTAssertTrue(written.contains("output truncated: the value was cut"))
    }
}
