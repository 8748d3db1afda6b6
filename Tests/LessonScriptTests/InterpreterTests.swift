import Foundation
import XCTest
import TensorEngine
@testable import LessonScript

/// Behaviour of the interpreter that golden scripts cannot express: diagnostics' full
/// form and call chains, cancellation, deep recursion, displayed values, speed.
final class InterpreterTests: XCTestCase {
    func run(_ source: String, host: RecordingHost = RecordingHost(), file: String = "lesson.md", firstLine: Int = 1) throws -> RecordingHost {
        let interpreter = Interpreter(host: host)
        try interpreter.run(cell: source, file: file, firstLine: firstLine)
        host.finish()
        return host
    }

    func diagnostic(_ source: String, firstLine: Int = 1) -> ScriptDiagnostic? {
        do {
            _ = try run(source, firstLine: firstLine)
            XCTFail("expected an error")
            return nil
        } catch let d as ScriptDiagnostic {
            return d
        } catch {
            XCTFail("not a diagnostic: \(error)")
            return nil
        }
    }

    func testDiagnosticUsesLessonLinesAndShowsCaretAndSuggestion() throws {
        let d = try XCTUnwrap(diagnostic("func corr2d(_ x: Int) -> Int { x }\nlet y = corr2D(1)", firstLine: 10))
        XCTAssertEqual(d.kind, .name)
        XCTAssertEqual(d.location, SourceLocation(file: "lesson.md", line: 11, column: 9))
        XCTAssertEqual(d.message, "unknown name 'corr2D'; did you mean 'corr2d'?")
        XCTAssertEqual(d.description, """
            lesson.md:11:9: error: unknown name 'corr2D'; did you mean 'corr2d'?
            let y = corr2D(1)
                    ^~~~~~
            """)
        let assign = try XCTUnwrap(diagnostic("let x = 1\nx = 2"))
        XCTAssertEqual(assign.suggestion, "change 'let' to 'var' to make it mutable")
        XCTAssertTrue(assign.description.hasSuffix("suggestion: change 'let' to 'var' to make it mutable"))
    }

    func testRuntimeErrorInsideFunctionsListsTheCallChain() throws {
        let source = """
            func inner(_ x: Int) -> Int {
                return x / 0
            }
            func outer(_ x: Int) -> Int { inner(x) }
            print(outer(1))
            """
        let d = try XCTUnwrap(diagnostic(source, firstLine: 20))
        XCTAssertEqual(d.kind, .runtime)
        XCTAssertEqual(d.location.line, 21)
        XCTAssertEqual(d.callChain, ["in inner(_:) called at lesson.md:23:31", "in outer(_:) called at lesson.md:24:7"])
        XCTAssertTrue(d.description.contains("\n  in inner(_:) called at lesson.md:23:31"))
    }

    func testEngineErrorsAreLocatedAtTheCall() throws {
        let d = try XCTUnwrap(diagnostic("let a = zeros(2, 3)\nlet b = zeros(4)\nlet c = a + b"))
        XCTAssertEqual(d.kind, .runtime)
        XCTAssertEqual(d.location.line, 3)
        XCTAssertEqual(d.location.column, 9)
    }

    func testCancellationPropagatesUnchanged() {
        let host = RecordingHost()
        host.cancelAfter = 1000
        XCTAssertThrowsError(try run("var i = 0\nwhile true { i += 1 }", host: host)) { error in
            XCTAssertTrue(error is RecordingHost.Cancelled, "got \(error)")
        }
        let calls = RecordingHost()
        calls.cancelAfter = 50
        XCTAssertThrowsError(try run("func f(_ n: Int) -> Int { n == 0 ? 0 : f(n - 1) }\nprint(f(100))", host: calls)) { error in
            XCTAssertTrue(error is RecordingHost.Cancelled, "got \(error)")
        }
    }

    func testDeepRecursionWithinTheLimitWorksAndBeyondIsADiagnostic() throws {
        let ok = try run("func depth(_ n: Int) -> Int { n == 0 ? 0 : 1 + depth(n - 1) }\nprint(depth(\(Interpreter.maximumCallDepth - 10)))")
        XCTAssertEqual(ok.transcript, ["\(Interpreter.maximumCallDepth - 10)"])
        let d = try XCTUnwrap(diagnostic("func f(_ n: Int) -> Int { f(n + 1) }\nf(0)"))
        XCTAssertTrue(d.message.hasPrefix("recursion too deep"))
        // The failing call is the error's location; the maximumCallDepth - 1 calls that led to
        // it fold into one line and a repeat count; the outermost call is kept.
        XCTAssertEqual(d.callChain, [
            "in f(_:) called at lesson.md:1:27",
            "[previous line repeated \(Interpreter.maximumCallDepth - 2) more times]",
            "in f(_:) called at lesson.md:2:1",
        ])
        XCTAssertTrue(d.description.hasSuffix("""
              in f(_:) called at lesson.md:1:27
              [previous line repeated \(Interpreter.maximumCallDepth - 2) more times]
              in f(_:) called at lesson.md:2:1
            """), d.description)
    }

    func testCallChainFoldsOnlyConsecutiveRepeatsAndIsCut() throws {
        // f calls itself once more, then fails; f was called by g, g by the top level.
        let once = try XCTUnwrap(diagnostic("""
            func f(_ n: Int) -> Int { n == 3 ? 1 / (n - 3) : f(n + 1) }
            func g() -> Int { f(1) }
            g()
            """))
        XCTAssertEqual(once.callChain, [
            "in f(_:) called at lesson.md:1:50",
            "[previous line repeated 1 more time]",
            "in f(_:) called at lesson.md:2:19",
            "in g() called at lesson.md:3:1",
        ])
        // Mutual recursion repeats no line in a row: distinct lines up to the cut.
        let mutual = try XCTUnwrap(diagnostic("""
            func a(_ n: Int) -> Int { b(n + 1) }
            func b(_ n: Int) -> Int { a(n + 1) }
            a(0)
            """))
        XCTAssertEqual(mutual.callChain.count, ScriptDiagnostic.maximumCallLines + 1)
        XCTAssertEqual(mutual.callChain.last, "...")
        XCTAssertFalse(mutual.callChain.contains { $0.hasPrefix("[previous line") })
    }

    func testLastExpressionIsDisplayedAndGlobalsPersist() throws {
        let host = RecordingHost()
        let interpreter = Interpreter(host: host)
        try interpreter.run(cell: "var xs = [1, 2]\nxs.append(3)\nxs", file: "l.md", firstLine: 1)
        try interpreter.run(cell: "xs.count", file: "l.md", firstLine: 5)
        try interpreter.run(cell: "print(xs)", file: "l.md", firstLine: 7)
        host.finish()
        XCTAssertEqual(host.displays, ["[1, 2, 3]", "3"])
        XCTAssertEqual(host.transcript.last, "[1, 2, 3]")
    }

    func testFailedCellDoesNotDeclareItsNames() throws {
        let host = RecordingHost()
        let interpreter = Interpreter(host: host)
        XCTAssertThrowsError(try interpreter.run(cell: "let a = 1\nlet b = nope", file: "l.md", firstLine: 1))
        XCTAssertThrowsError(try interpreter.run(cell: "print(a)", file: "l.md", firstLine: 3)) { error in
            XCTAssertTrue((error as? ScriptDiagnostic)?.message.hasPrefix("unknown name 'a'") == true, "\(error)")
        }
    }

    func testSyntaxErrorsDoNotCrashOnOddInput() {
        for source in ["}", "let", "func (", "class {", "x[", "\"\\(", "for in", "1 +", "a.", "init() {}", "let x = .", "?? 1"] {
            XCTAssertThrowsError(try run(source), source) { XCTAssertTrue($0 is ScriptDiagnostic, "\(source): \($0)") }
        }
    }

    func testCountingLoopSpeed() throws {
        // Correctness of the fast path, and a rough speed check in debug builds.
        let start = Date()
        let host = try run("var s = 0\nfor i in 0..<1_000_000 { s += i }\nprint(s)")
        XCTAssertEqual(host.transcript, ["499999500000"])
        print("1M-iteration loop (this build): \(Date().timeIntervalSince(start)) s")
    }
}
