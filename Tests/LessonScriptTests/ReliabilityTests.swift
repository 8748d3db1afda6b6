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
        XCTAssert(d?.message.contains("would bring the memory of live tensors to more than the budget") == true, "\(String(describing: error))")
        // Everything the cell held is given back.
        XCTAssertLessThanOrEqual(EngineLimits.liveTensorBytes, before + (1 << 20))
    }
}

/// Deep and cyclic structures: freed, printed and snapshotted without overflowing the stack.
/// Built directly as values (a script loop of a million steps takes seconds in a debug
/// build); the test thread has an ordinary 8 MiB stack, as the main thread does.
final class DeepStructureTests: XCTestCase {
    func testMillionLongObjectChainIsFreedWithoutRecursion() {
        var head = Value.nil
        for _ in 0..<1_000_000 {
            head = .object(ScriptObject(typeName: "Node", fieldNames: ["next"], fields: [head]))
        }
        head = .nil  // used to overflow the stack in nested deinits
        XCTAssertEqual(head.printDescription, "nil")
    }

    func testMillionDeepArrayIsPrintedAndFreed() {
        let table = GlobalTable()
        var nested = Value.array([])
        for _ in 0..<1_000_000 { nested = .array([nested]) }
        let printed = nested.printDescription
        XCTAssertTrue(printed.hasPrefix(String(repeating: "[", count: Value.maximumDescriptionDepth) + "[...]"))
        XCTAssertLessThan(printed.count, 1000)
        XCTAssertEqual(nested.typeDescription.prefix(3), "[[[")
        table.values = [nested]
        nested = .nil
        // The lesson's globals are released when the interpreter goes: iteratively.
        _ = table
    }

    func testDeepValueIsNotSnapshottedButDoesNotCrash() throws {
        let interpreter = Interpreter(host: RecordingHost())
        let recorder = SnapshotRecorder(interpreter: interpreter)
        let source = "var a: [Any] = []\nfor i in 0..<5000 { a = [a] }"
        try interpreter.run(cell: source, file: "t.md", firstLine: 1)
        recorder.didRun(SnapshotCell(source: source, file: "t.md", firstLine: 1))
        XCTAssertThrowsError(try recorder.snapshot(header: "test")) { error in
            XCTAssert("\(error)".contains("nested more than"), "\(error)")
        }
    }

    func testModuleThatContainsItselfPrints() {
        let (transcript, error) = runScript("""
        class Loop: Module {
            var inner: [Module] = []
            func forward(_ x: Tensor) -> Tensor { x }
        }
        let m = Loop()
        m.inner.append(m)
        m.inner.append(Linear(2, 2))
        print(m)
        print(m.parameters.count)
        """, file: "cell.swift")
        XCTAssertNil(error)
        XCTAssertTrue(transcript.contains { $0.contains("contains itself") }, "\(transcript)")
    }

    func testDeepSequentialPrintsQuicklyAndBounded() throws {
        var module: any Module = try Linear(1, 1, bias: false)
        for _ in 0..<2000 { module = Sequential([module]) }
        let start = DispatchTime.now().uptimeNanoseconds
        let text = module.moduleDescription
        XCTAssertLessThan(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, 1.0)
        XCTAssertEqual(text.split(separator: "\n").count, 2 * maximumDescriptionDepth + 1)
        XCTAssertTrue(text.contains("deeper than \(maximumDescriptionDepth) levels not shown"))
        XCTAssertEqual(module.parameters.count, 1)
    }
}

/// The lexer and parser stay linear, with a nesting limit.
final class SyntaxLimitTests: XCTestCase {
    /// 100,000 unclosed `"\(` (300 KB) used memory quadratically and overflowed the stack.
    func testUnclosedInterpolationsAreLinearWithANestingLimit() {
        let source = "let s = " + String(repeating: "\"\\(", count: 100_000)
        let start = DispatchTime.now().uptimeNanoseconds
        let (_, error) = runScript(source, file: "cell.swift")
        XCTAssertLessThan(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, 2.0)
        XCTAssert((error as? ScriptDiagnostic)?.message.contains("string interpolations nested too deeply") == true, "\(String(describing: error))")
    }

    func testDeepParenthesesStopAtTheLimit() {
        let (_, error) = runScript("let s = " + String(repeating: "(", count: 20_000), file: "cell.swift")
        XCTAssert((error as? ScriptDiagnostic)?.message.contains("nested too deeply") == true, "\(String(describing: error))")
    }
}
