import XCTest
import Foundation
@testable import LessonScript
import TensorEngine

/// Runs every ```swift example of the language reference, docs/language.md, through the
/// interpreter and compares what it shows with the ```output block that must follow it.
///
/// Each example runs in a fresh interpreter with the standard library, after `manualSeed(0)`.
/// Printed text and displayed values are compared as they are; rich outputs, which the runner
/// draws, are compared in a short text form (see `DocHost`). An error ends the example with
/// the diagnostic's full description, located in the example itself (file `example`, line 1
/// = the example's first line) so that editing the document does not change the expected
/// text. Every failure names the line of docs/language.md where the example starts.
final class LanguageDocTests: XCTestCase {
    struct Example {
        var code: String
        /// 1-based line of the first code line in the Markdown file.
        var firstLine: Int
        /// The text of the ```output block, or nil when the example has none (an error).
        var expected: String?
    }

    /// Collects what an example shows, in order.
    final class DocHost: ScriptHost {
        var text = ""
        func write(_ text: String) { self.text += text }
        func display(_ output: RichOutput) {
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            switch output {
            case .value(let s):
                text += s + "\n"
            case .table(let table):
                if let title = table.title { text += title + "\n" }
                text += "| " + table.headers.joined(separator: " | ") + " |\n"
                for (i, row) in table.rows.enumerated() {
                    if i == table.footerStart { text += "|--|\n" }
                    text += "| " + row.joined(separator: " | ") + " |\n"
                }
            case .image(let image):
                text += "[image \"\(image.title)\" \(shapeDescription(image.pixels.shape))]\n"
            case .plot(let plot):
                let series = plot.series.map { "\($0.name.isEmpty ? "" : $0.name + ": ")\($0.y.count) points" }
                text += "[plot \"\(plot.title)\" " + series.joined(separator: ", ") + "]\n"
            case .diagram(let diagram):
                text += "[diagram: \(diagram.title): \(diagram.caption)]\n"
            }
        }
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The ```swift blocks of a Markdown text, each with the ```output block after it (if any).
    static func examples(in markdown: String) -> [Example] {
        let lines = markdown.components(separatedBy: "\n")
        var examples: [Example] = []
        var i = 0
        func fence(_ line: String) -> String? {
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("```") ? String(t.dropFirst(3)).trimmingCharacters(in: .whitespaces) : nil
        }
        /// The lines of the fenced block opening at `start`, and the index after its closing fence.
        func block(from start: Int) -> ([String], Int) {
            var j = start + 1
            var body: [String] = []
            while j < lines.count, fence(lines[j]) != "" { body.append(lines[j]); j += 1 }
            return (body, j + 1)
        }
        while i < lines.count {
            guard let info = fence(lines[i]) else { i += 1; continue }
            let (body, next) = block(from: i)
            if info.split(separator: " ").first == "swift" {
                var example = Example(code: body.joined(separator: "\n"), firstLine: i + 2, expected: nil)
                var k = next
                while k < lines.count, lines[k].trimmingCharacters(in: .whitespaces).isEmpty { k += 1 }
                if k < lines.count, fence(lines[k]) == "output" {
                    let (output, after) = block(from: k)
                    example.expected = output.joined(separator: "\n")
                    i = after
                } else {
                    i = next
                }
                examples.append(example)
            } else {
                i = next
            }
        }
        return examples
    }

    static func normalized(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n").map { line -> String in
            var l = Substring(line)
            while l.last == " " { l = l.dropLast() }
            return String(l)
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    static let referencePath = "docs/language.md"

    /// What an example shows: its printed text, displayed values and rich outputs, then the
    /// description of the error that ended it, if any.
    static func run(_ example: Example) -> String {
        manualSeed(0)
        let host = DocHost()
        let interpreter = Interpreter(host: host, library: .standard())
        var failure: String?
        do {
            try interpreter.run(cell: example.code, file: "example", firstLine: 1)
        } catch let diagnostic as ScriptDiagnostic {
            failure = diagnostic.description
        } catch {
            failure = "error: \(error)"
        }
        if let failure {
            if !host.text.isEmpty && !host.text.hasSuffix("\n") { host.text += "\n" }
            host.text += failure + "\n"
        }
        return normalized(host.text)
    }

    /// One message per example that lacks an ```output block or shows something else, each
    /// starting with `path:line` of the example's first code line.
    static func failures(in markdown: String, path: String) -> [String] {
        let examples = examples(in: markdown)
        if examples.isEmpty { return ["\(path) has no ```swift examples"] }
        var failures: [String] = []
        for example in examples {
            let actual = run(example)
            guard let expectedText = example.expected else {
                failures.append("""
                \(path):\(example.firstLine): the example has no ```output block after it; it shows:
                \(actual)
                """)
                continue
            }
            let expected = normalized(expectedText)
            if actual != expected {
                failures.append("""
                \(path):\(example.firstLine): the example's output differs.
                --- expected
                \(expected)
                --- actual
                \(actual)
                """)
            }
        }
        return failures
    }

    func testReferenceExamples() throws {
        let path = LanguageDocTests.referencePath
        let url = LanguageDocTests.repositoryRoot.appendingPathComponent(path)
        let markdown = try String(contentsOf: url, encoding: .utf8)
        for failure in LanguageDocTests.failures(in: markdown, path: path) {
            XCTFail(failure)
        }
    }

    func testMissingOrWrongOutputIsReportedAtItsLine() {
        let markdown = """
        # Doc

        ```swift
        print(1 + 1)
        ```

        ```output
        2
        ```

        ```swift
        print("no block")
        ```

        ```swift
        print(3)
        ```
        ```output
        4
        ```
        """
        let failures = LanguageDocTests.failures(in: markdown, path: "doc.md")
        XCTAssertEqual(failures.count, 2)
        XCTAssertTrue(failures.first?.hasPrefix("doc.md:12: the example has no ```output block") == true, "\(failures)")
        XCTAssertTrue(failures.last?.hasPrefix("doc.md:16: the example's output differs.") == true, "\(failures)")
    }

    func testErrorsAreLocatedInTheExample() {
        let shown = LanguageDocTests.run(Example(code: "let a = 1\nprint(a / 0)", firstLine: 40, expected: nil))
        XCTAssertEqual(shown, """
        example:2:7: error: division by zero
        print(a / 0)
              ^~~~~
        """)
    }

    func testExampleExtraction() {
        let markdown = """
        Text.

        ```swift
        print(1)
        ```

        ```output
        1
        ```

        ```swift
        let x = 2
        ```
        ```text
        not an output
        ```
        """
        let examples = LanguageDocTests.examples(in: markdown)
        XCTAssertEqual(examples.map(\.code), ["print(1)", "let x = 2"])
        XCTAssertEqual(examples.map(\.expected), ["1", nil])
        XCTAssertEqual(examples.map(\.firstLine), [4, 12])
    }
}
