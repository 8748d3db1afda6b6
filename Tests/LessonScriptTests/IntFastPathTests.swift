import XCTest
@testable import LessonScript

/// The specialised code for `x op= y` on plain variables and for counting `for` loops must
/// behave exactly like the general path: Int overflow is a located error, mixed and
/// non-numeric operands fall back, globals and locals, captured loop variables.
final class IntFastPathTests: XCTestCase {
    private func transcript(_ source: String, host: RecordingHost = RecordingHost()) throws -> [String] {
        try Interpreter(host: host).run(cell: source, file: "lesson.md", firstLine: 1)
        host.finish()
        return host.transcript
    }

    private func error(_ source: String) -> ScriptDiagnostic? {
        do {
            _ = try transcript(source)
            return nil
        } catch let d as ScriptDiagnostic {
            return d
        } catch {
            XCTFail("unexpected error \(error)")
            return nil
        }
    }

    func testCompoundAssignmentOnLocalsAndGlobals() throws {
        let source = """
        var g = 0
        for i in 0..<10 { g += i }
        g -= 5
        g *= 3
        var step = 2
        g += step
        func f() -> Int {
            var s = 1
            var k = 3
            for i in 1...4 { s *= i; s += k; s -= 1 }
            k += g
            return s + k
        }
        print(g, f())
        """
        // g = (45 - 5) * 3 + 2 = 122; s: 1→3→8→26→106; k = 125.
        XCTAssertEqual(try transcript(source), ["122 231"])
    }

    func testFallbackForDoublesStringsAndTensors() throws {
        let source = """
        func f() -> String {
            var d = 1.5
            var one = 1
            d += one
            var s = "a"
            let b = "b"
            s += b
            var t = zeros(2)
            t += one
            var n = 2
            n *= d
            return "\\(d) \\(s) \\(t.sum().item()) \\(n)"
        }
        print(f())
        """
        XCTAssertEqual(try transcript(source), ["2.5 ab 2.0 5.0"])
    }

    func testOverflowIsALocatedErrorInBothFastPaths() throws {
        let local = try XCTUnwrap(error("func f() {\n    var s = Int.max - 1\n    let one = 1\n    s += one\n    s += one\n}\nf()"))
        XCTAssertEqual(local.kind, .runtime)
        XCTAssertEqual(local.location.line, 5)
        XCTAssertTrue(local.message.contains("overflow"), local.message)
        let literal = try XCTUnwrap(error("var m = Int.min\nm -= 1"))
        XCTAssertEqual(literal.location.line, 2)
        XCTAssertTrue(literal.message.contains("overflow"), literal.message)
        let product = try XCTUnwrap(error("var p = 1\nfor i in 1...30 { p *= 1000 }"))
        XCTAssertEqual(product.location.line, 2)
    }

    func testCountingLoopsBindTheirVariableEverywhere() throws {
        let source = """
        var last = -1
        for i in 0..<5 where i % 2 == 1 { last = i }
        print(last)
        var closures: [() -> Int] = []
        for i in 0...2 { closures.append({ i * 10 }) }
        print(closures.map { $0() })
        func g() -> Int {
            var total = 0
            for j in 0..<100 {
                if j == 7 { break }
                if j % 2 == 0 { continue }
                total += j
            }
            return total
        }
        func h() -> Int {
            for j in 3..<10 { if j * j > 20 { return j } }
            return -1
        }
        print(g(), h())
        """
        XCTAssertEqual(try transcript(source), ["3", "[0, 10, 20]", "9 5"])
    }

    func testCountingLoopStillChecksCancellationEveryIteration() {
        let host = RecordingHost()
        host.cancelAfter = 100
        XCTAssertThrowsError(try transcript("func f() {\n    var s = 0\n    for i in 0..<1_000_000 { s += i }\n}\nf()", host: host)) { error in
            XCTAssertTrue(error is RecordingHost.Cancelled, "got \(error)")
        }
    }
}
