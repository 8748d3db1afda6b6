import XCTest
@testable import LessonScript

/// PyTorch spellings that lessonbook does not take are errors that show the lessonbook form
/// (issue 13). The golden scripts under `Scripts/errors/pytorch-*` check where they stop;
/// these check what they suggest.
final class PyTorchSpellingTests: XCTestCase {
    private func suggestion(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        let (_, error) = runScript(source, file: "t.swift")
        guard let diagnostic = error as? ScriptDiagnostic else {
            XCTFail("expected a diagnostic, got \(String(describing: error))", file: file, line: line)
            return nil
        }
        return diagnostic.suggestion
    }

    func testPowerOperatorSuggestsPow() {
        XCTAssertEqual(suggestion("let y = tensor([1.0]) ** 2"), "write x.pow(2) for a tensor, or pow(x, 2)")
    }

    func testInPlaceMethodsSuggestAssignment() {
        XCTAssertEqual(suggestion("var w = ones(2)\nw.zero_()"), "tensors are values in lessonbook: assign a new one, as in w = zerosLike(w)")
        XCTAssertEqual(suggestion("var w = ones(2)\nw.fill_(1)"), "tensors are values in lessonbook: assign a new one, as in w = full(w.shape, 0.5)")
        XCTAssertEqual(suggestion("var w = ones(2)\nw.add_(w)"),
                       "lessonbook has no in-place '_' methods: assign the result instead, as in w = w.add(...) or w += x")
    }

    func testAssigningDataSuggestsTheUpdate() {
        XCTAssertEqual(suggestion("var w = ones(2)\nw.data -= w"), "update the tensor inside noGrad: w -= lr * w.grad!")
    }
}
