import Foundation
import XCTest
@testable import LessonRunner

/// A cell's timeout holds to within a fraction of a second whatever its loop body costs.
final class TimeoutGranularityTests: XCTestCase {
    /// A loop whose every iteration takes 20 ms used to be checked only every 1024
    /// iterations: 20 s past a 0.2 s timeout.
    func testSlowLoopBodyStopsNearItsDeadline() {
        let host = RecordingHost(printLimit: 1 << 20, showsProgress: false)
        host.beginCell(timeout: 0.2)
        let start = Date()
        var iterations = 0
        XCTAssertThrowsError(try {
            while iterations < 500 {
                try host.checkCancellation()
                usleep(20_000)
                iterations += 1
            }
        }()) { XCTAssert($0 is CellTimeout) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
    }

    /// Fast loops still read the clock rarely.
    func testFastLoopsReadTheClockRarely() throws {
        let host = RecordingHost(printLimit: 1 << 20, showsProgress: false)
        host.beginCell(timeout: 60)
        for _ in 0..<1_000_000 { try host.checkCancellation() }
    }

    /// The live preview's Stop ends a cell that would run on for minutes, as a failure that
    /// says it was stopped (not as a timeout the cell never reached).
    func testStopEndsARunningCellWithItsOwnWords() throws {
        let host = RecordingHost(printLimit: 1 << 20, showsProgress: false)
        let executor = LessonExecutor(host: host)
        let document = try LessonDocument(text: "# Stop\n\n```swift timeout=600\nvar n = 0\nwhile true { n += 1 }\n```\n", path: "stop.md")
        // Pressed again and again: a Stop that arrives before the cell starts is rightly forgotten.
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            while finished.wait(timeout: .now() + 0.2) == .timedOut { host.requestStop() }
        }
        let start = Date()
        let result = executor.run(document)
        finished.signal()
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertEqual(result.runs[0].status, .failed(message: CellStopped().description))
        XCTAssertEqual(result.runs[0].status.readerWording?.text, "The cell was stopped before it finished.")
    }
}
