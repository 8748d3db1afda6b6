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
}
