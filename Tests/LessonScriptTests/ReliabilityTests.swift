import Foundation
import XCTest
@testable import LessonScript
import TensorEngine

/// Inputs that once crashed, hung or took quadratic time; each test is the minimal
/// reproduction of one class of the reliability issues.
final class ReliabilityTests: XCTestCase {
    /// Runs `source` as one cell and returns the diagnostic it stopped with, if any.
    func diagnostic(_ source: String, host: RecordingHost = RecordingHost()) -> ScriptDiagnostic? {
        let (_, error) = runScript(source, file: "cell.swift", host: host)
        return error as? ScriptDiagnostic
    }

    func elapsed(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// "Did you mean" compared a 60,000-character name with every visible name in quadratic
    /// time (12 s in a release build).
    func testSuggestionForHugeNameIsBounded() {
        let name = String(repeating: "a", count: 60_000)
        var d: ScriptDiagnostic?
        let seconds = elapsed { d = diagnostic("let aaa = 1\nprint(\(name))") }
        XCTAssertLessThan(seconds, 1.0)
        XCTAssert(d?.message.hasPrefix("unknown name") == true)
        XCTAssertFalse(d?.message.contains("did you mean") ?? true)
    }

    /// Suggestions still work for ordinary typos after the bound.
    func testSuggestionsStillFound() {
        XCTAssertEqual(nearestName("corr2D", ["corr2d", "conv2d"]), "corr2d")
        XCTAssertEqual(nearestName("lerningRate", ["learningRate", "rate"]), "learningRate")
        XCTAssertNil(nearestName("x", ["completelyDifferent"]))
        XCTAssertEqual(Suggestions.editDistance(Array("kitten"), Array("sitting"), atMost: 3), 3)
        XCTAssertNil(Suggestions.editDistance(Array("kitten"), Array("sitting"), atMost: 2))
        XCTAssertEqual(Lib.nearest("strid", in: ["stride", "padding"]), "stride")
    }

    /// Many candidates of similar length: the banded distance keeps this fast too.
    func testSuggestionAmongManyCandidatesIsBounded() {
        let candidates = (0..<20_000).map { "name\($0)_" + String(repeating: "x", count: 40) }
        let seconds = elapsed { _ = nearestName(String(repeating: "y", count: 60), candidates) }
        XCTAssertLessThan(seconds, 2.0)
    }
}

/// The memory budget across live tensors.
final class MemoryBudgetTests: XCTestCase {
    /// A cell that keeps every step's tensor stops with the engine's allocation error at the
    /// budget (it used to grow until the system killed the process or malloc aborted it).
    func testRetainingTensorsStopsAtTheBudget() {
        let saved = EngineLimits.memoryBudgetBytes
        defer { EngineLimits.memoryBudgetBytes = saved }
        let before = EngineLimits.liveTensorBytes
        EngineLimits.memoryBudgetBytes = before + (64 << 20)
        let source = """
        var kept: [Tensor] = []
        for i in 0..<1000 { kept.append(zeros(1024, 256)) }
        print(kept.count)
        """
        let (_, error) = runScript(source, file: "cell.swift")
        let d = error as? ScriptDiagnostic
        XCTAssert(d?.message.contains("would bring the memory of live tensors to more than the budget of 64.") == true, "\(String(describing: error))")
        // Everything the cell held is given back.
        XCTAssertLessThanOrEqual(EngineLimits.liveTensorBytes, before + (1 << 20))
    }
}
