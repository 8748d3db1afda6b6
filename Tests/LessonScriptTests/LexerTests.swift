import XCTest
@testable import LessonScript

final class LexerTests: XCTestCase {
    func tokens(_ s: String) -> [Token] {
        var lexer = Lexer(s)
        return lexer.tokenize()
    }

    func testNumbers() {
        let t = tokens("1_000 0x1F 0b101 1.5 1e-3 2.5E2")
        XCTAssertEqual(t.map(\.kind), [.integer, .integer, .integer, .float, .float, .float, .endOfFile])
        XCTAssertEqual(t[0].intValue, 1000)
        XCTAssertEqual(t[1].intValue, 31)
        XCTAssertEqual(t[2].intValue, 5)
        XCTAssertEqual(t[4].doubleValue, 0.001)
        XCTAssertEqual(t[5].doubleValue, 250)
    }

    func testIntegerOverflowIsAnIssue() {
        var lexer = Lexer("99999999999999999999")
        _ = lexer.tokenize()
        XCTAssertEqual(lexer.issues.count, 1)
        XCTAssertTrue(lexer.issues[0].message.contains("not a valid Int"))
    }

    func testStringInterpolationSegments() {
        let t = tokens(#""a\(x + f(1))b\n""#)
        XCTAssertEqual(t[0].kind, .string)
        XCTAssertEqual(t[0].segments.count, 3)
        guard case .interpolation(let inner, _) = t[0].segments[1] else { return XCTFail("no interpolation") }
        XCTAssertEqual(inner.map(\.text), ["x", "+", "f", "(", "1", ")", ""])
        guard case .text(let last) = t[0].segments[2] else { return XCTFail() }
        XCTAssertEqual(last, "b\n")
    }

    func testBackslashAtTheEndOfTheTextIsAnIssueNotACrash() {
        // "abc\   print("x \   and a multi-line string whose text ends in a backslash.
        for source in ["\"abc\\", "print(\"x \\", "\"\"\"\na\\"] {
            var lexer = Lexer(source)
            let t = lexer.tokenize()
            XCTAssertTrue(t.allSatisfy { $0.range.end <= source.utf8.count }, source)
            XCTAssertTrue(lexer.issues.contains { $0.message.contains("unterminated") }, source)
        }
    }

    func testNestedCommentsAndNewlines() {
        let t = tokens("a /* x /* y */ z */ b\nc // end")
        XCTAssertEqual(t.map(\.text), ["a", "b", "c", ""])
        XCTAssertTrue(t[1].spaceBefore)
        XCTAssertFalse(t[1].newlineBefore)
        XCTAssertTrue(t[2].newlineBefore)
    }

    func testOperatorsAndRanges() {
        XCTAssertEqual(tokens("0..<n a...b x!=y a??b").map(\.text), ["0", "..<", "n", "a", "...", "b", "x", "!=", "y", "a", "??", "b", ""])
    }

    func testHighlightCoversEveryInputWithoutGaps() {
        let inputs = ["let x = \"unterminated", "/* open comment", "func é(_ ü: Int) { \"\\(ü)\" } // done",
                      "\u{1F600} `weird` #\"raw\"#", "", "\"\"\"\nmulti\n", "x = \"a\\(\"b\\(1)\")\""]
        for input in inputs {
            let spans = Lexer.highlight(input)
            var cursor = input.startIndex
            for span in spans {
                XCTAssertEqual(span.range.lowerBound, cursor, "gap in \(input.debugDescription)")
                cursor = span.range.upperBound
            }
            XCTAssertEqual(cursor, input.endIndex, "spans must reach the end of \(input.debugDescription)")
        }
        let kinds = Lexer.highlight("let x = 1 // c").map(\.kind)
        XCTAssertEqual(kinds, [.keyword, .plain, .identifier, .plain, .operator, .plain, .number, .plain, .comment])
        XCTAssertEqual(Lexer.highlight("Tensor \"s\"").map(\.kind), [.type, .plain, .string])
    }
}
