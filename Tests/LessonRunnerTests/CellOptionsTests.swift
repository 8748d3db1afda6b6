import XCTest
@testable import LessonRunner

final class CellOptionsTests: XCTestCase {
    private func parse(_ words: String) throws -> CellOptions {
        try CellOptions(words: words.split(separator: " "), file: "l.md", line: 7)
    }

    func testEveryOption() throws {
        let options = try parse("id=edges hide skip expect-error timeout=2.5 tolerance=0.01 nondeterministic")
        XCTAssertEqual(options.id, "edges")
        XCTAssertTrue(options.hide)
        XCTAssertTrue(options.skip)
        XCTAssertTrue(options.expectError)
        XCTAssertEqual(options.timeout, 2.5)
        XCTAssertEqual(options.tolerance, 0.01)
        XCTAssertTrue(options.nondeterministic)
        XCTAssertEqual(try parse("").words, [])
    }

    func testUnknownOptionListsValidOnesWithLine() {
        XCTAssertThrowsError(try parse("hidden")) { error in
            let e = error as? LessonInputError
            XCTAssertEqual(e?.line, 7)
            XCTAssertEqual(e?.file, "l.md")
            XCTAssertTrue(e?.message.contains("unknown cell option 'hidden'") == true, "\(error)")
            for valid in CellOptions.valid { XCTAssertTrue(e?.message.contains(valid) == true, valid) }
            XCTAssertTrue("\(error)".hasPrefix("l.md:7: error: "))
        }
    }

    func testBadValues() {
        for bad in ["timeout=0", "timeout=abc", "tolerance=-1", "id=", "id=a/b", "hide=1", "timeout", "tolerance"] {
            XCTAssertThrowsError(try parse(bad), bad)
        }
    }
}
