import XCTest
@testable import LessonRunner

final class ComparisonTests: XCTestCase {
    func testExactTextAfterTrimmingTrailingSpaces() {
        let c = OutputComparison()
        XCTAssertTrue(c.compare(expected: "a b  \nc\n\n", actual: "a b\nc").matches)
        XCTAssertFalse(c.compare(expected: "a b", actual: "a  b").matches)
        XCTAssertFalse(c.compare(expected: " a", actual: "a").matches)
        XCTAssertFalse(c.compare(expected: "a\nb", actual: "a").matches)
    }

    func testNumbersWithinDefaultTolerance() {
        let c = OutputComparison()
        XCTAssertTrue(c.compare(expected: "loss 0.12345678", actual: "loss 0.12345679").matches)
        // The last printed digit may round the other way.
        XCTAssertTrue(c.compare(expected: "tensor([0.1234, 2.0000])", actual: "tensor([0.1235, 2.0000])").matches)
        XCTAssertFalse(c.compare(expected: "tensor([0.1234])", actual: "tensor([0.1236])").matches)
        XCTAssertTrue(c.compare(expected: "1.5e-05", actual: "1.6e-05").matches)
        XCTAssertFalse(c.compare(expected: "1.5e-05", actual: "1.7e-05").matches)
        // Printed more coarsely: the coarser precision decides.
        XCTAssertTrue(c.compare(expected: "1234.5678", actual: "1234.6").matches)
        XCTAssertFalse(c.compare(expected: "1234.5678", actual: "1234.8").matches)
    }

    func testWholeNumbersAreExactUnlessToleranceIsSet() {
        XCTAssertFalse(OutputComparison().compare(expected: "196609000", actual: "196609001").matches)
        XCTAssertFalse(OutputComparison().compare(expected: "[1., 2.]", actual: "[1., 3.]").matches)
        XCTAssertTrue(OutputComparison(tolerance: 1e-3).compare(expected: "196609000", actual: "196609001").matches)
        // Digits inside words are text.
        XCTAssertFalse(OutputComparison(tolerance: 1).compare(expected: "conv2d", actual: "conv3d").matches)
        XCTAssertFalse(OutputComparison(tolerance: 1).compare(expected: "3x3", actual: "4x3").matches)
    }

    func testCellTolerance() {
        let strict = OutputComparison()
        let loose = OutputComparison(tolerance: 0.05)
        XCTAssertFalse(strict.compare(expected: "acc 0.8123", actual: "acc 0.8400").matches)
        XCTAssertTrue(loose.compare(expected: "acc 0.8123", actual: "acc 0.8400").matches)
        XCTAssertFalse(loose.compare(expected: "acc 0.8123", actual: "acc 0.9400").matches)
        XCTAssertFalse(loose.compare(expected: "nan", actual: "0.5").matches)
        XCTAssertTrue(loose.compare(expected: "nan", actual: "nan").matches)
    }

    func testMismatchReportsLargestDifferenceAndDiff() {
        let result = OutputComparison().compare(expected: "a\nx 0.5000 0.2500\nz", actual: "a\nx 0.5000 0.3500\nz",
                                                expectedLabel: "expected", actualLabel: "actual")
        XCTAssertFalse(result.matches)
        XCTAssertEqual(result.largest?.line, 2)
        XCTAssertEqual(result.largest?.expected, "0.2500")
        XCTAssertEqual(result.largest?.actual, "0.3500")
        XCTAssertEqual(result.largest?.difference ?? 0, 0.1, accuracy: 1e-12)
        XCTAssertEqual(result.diff, """
        --- expected
        +++ actual
        @@ -1,3 +1,3 @@
         a
        -x 0.5000 0.2500
        +x 0.5000 0.3500
         z
        """)
    }

    func testUnifiedDiffHunks() {
        let e = (1...20).map(String.init)
        var a = e
        a[1] = "two"
        a.insert("new", at: 15)
        let diff = UnifiedDiff.make(expected: e, actual: a, expectedLabel: "e", actualLabel: "a")
        XCTAssertEqual(diff.components(separatedBy: "\n").filter { $0.hasPrefix("@@") },
                       ["@@ -1,5 +1,5 @@", "@@ -13,6 +13,7 @@"])
        XCTAssertEqual(UnifiedDiff.make(expected: [], actual: ["x"], expectedLabel: "e", actualLabel: "a"),
                       "--- e\n+++ a\n@@ -0,0 +1,1 @@\n+x")
    }

    func testTokeniser() {
        let tokens = OutputComparison.Token.split("shape [1, -6, 28] loss=0.25 x2 1e-3")
        let numbers = tokens.compactMap { if case .number(let n) = $0 { return n.text } else { return nil } }
        XCTAssertEqual(numbers, ["1", "-6", "28", "0.25", "1e-3"])
    }
}
