import XCTest
import Foundation
@testable import LessonScript
import TensorEngine

/// Runs every ```swift example of the language reference (docs/language-library.md and
/// docs/language-core.md) through the interpreter and compares what it shows with the
/// ```output block that follows it.
///
/// Each example runs in a fresh interpreter with the standard library, after `manualSeed(0)`.
/// Printed text and displayed values are compared as they are; rich outputs, which the runner
/// draws, are compared in a short text form (see `DocHost`); an error ends the example with
/// the line `error: <message>`. An example without an output block (a fragment that only
/// illustrates syntax) must still run without an error; what it shows is not compared.
final class LanguageDocTests: XCTestCase {
    struct Example {
        var code: String
        /// 1-based line of the first code line in the Markdown file.
        var firstLine: Int
        /// The text of the ```output block, or nil when the example has none.
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

    func checkExamples(of relativePath: String, required: Bool) throws {
        let url = LanguageDocTests.repositoryRoot.appendingPathComponent(relativePath)
        guard let markdown = try? String(contentsOf: url, encoding: .utf8) else {
            if required { XCTFail("\(relativePath) is missing"); return }
            throw XCTSkip("\(relativePath) does not exist yet")
        }
        let examples = LanguageDocTests.examples(in: markdown)
        XCTAssertFalse(examples.isEmpty, "\(relativePath) has no ```swift examples")
        for example in examples {
            manualSeed(0)
            let host = DocHost()
            let interpreter = Interpreter(host: host, library: .standard())
            var failure: String?
            do {
                try interpreter.run(cell: example.code, file: relativePath, firstLine: example.firstLine)
            } catch let diagnostic as ScriptDiagnostic {
                failure = diagnostic.message
            } catch {
                failure = "\(error)"
            }
            if let failure {
                if !host.text.isEmpty && !host.text.hasSuffix("\n") { host.text += "\n" }
                host.text += "error: \(failure)\n"
            }
            let actual = LanguageDocTests.normalized(host.text)
            guard let expectedText = example.expected else {
                if let failure {
                    XCTFail("\(relativePath):\(example.firstLine): the example (which has no output block) fails: \(failure)")
                }
                continue
            }
            let expected = LanguageDocTests.normalized(expectedText)
            if actual != expected {
                XCTFail("""
                \(relativePath):\(example.firstLine): the example's output differs.
                --- expected
                \(expected)
                --- actual
                \(actual)
                """)
            }
        }
    }

    func testLibraryReferenceExamples() throws {
        try checkExamples(of: "docs/language-library.md", required: true)
    }

    func testCoreReferenceExamples() throws {
        try checkExamples(of: "docs/language-core.md", required: false)
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
