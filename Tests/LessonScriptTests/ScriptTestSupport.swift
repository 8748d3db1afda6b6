import Foundation
import XCTest
@testable import LessonScript

/// A host that records what a cell prints and displays, one line per printed line.
final class RecordingHost: ScriptHost {
    var text = ""
    var displays: [String] = []
    /// Printed lines, with displayed values as `=> value` and rich outputs as `[kind: title]`,
    /// in the order they happened.
    var transcript: [String] = []
    var cancelAfter: Int?
    private var checks = 0

    func write(_ s: String) {
        text += s
        flushLines()
    }

    private func flushLines() {
        while let nl = text.firstIndex(of: "\n") {
            transcript.append(String(text[..<nl]))
            text = String(text[text.index(after: nl)...])
        }
    }

    func finish() {
        if !text.isEmpty { transcript.append(text); text = "" }
    }

    func display(_ output: RichOutput) {
        finish()
        switch output {
        case .value(let v):
            displays.append(v)
            transcript += v.split(separator: "\n", omittingEmptySubsequences: false).map { "=> " + $0 }
        case .table(let t): transcript.append("[table: \(t.title ?? t.headers.joined(separator: ", "))]")
        case .image(let i): transcript.append("[image: \(i.title) \(i.pixels.shape)]")
        case .plot(let p): transcript.append("[plot: \(p.title)]")
        case .diagram(let d): transcript.append("[diagram: \(d.title): \(d.caption)]")
        }
    }

    struct Cancelled: Error {}

    func checkCancellation() throws {
        checks += 1
        if let limit = cancelAfter, checks > limit { throw Cancelled() }
    }
}

/// The folder of golden scripts, found from this file's path (the folder is not a resource).
let scriptsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")

/// Every golden script, sorted by path relative to `Scripts/`.
func goldenScripts() -> [(name: String, url: URL)] {
    guard let enumerator = FileManager.default.enumerator(at: scriptsDirectory, includingPropertiesForKeys: nil) else { return [] }
    var result: [(String, URL)] = []
    for case let url as URL in enumerator where url.pathExtension == "swift" {
        let name = url.path.replacingOccurrences(of: scriptsDirectory.path + "/", with: "")
        result.append((name, url))
    }
    return result.sorted { $0.0 < $1.0 }
}

/// Runs source split into cells at `// --- cell ---` lines; returns the transcript and the
/// error that stopped it, if any.
func runScript(_ source: String, file: String, host: RecordingHost = RecordingHost()) -> (transcript: [String], error: Error?) {
    let interpreter = Interpreter(host: host, library: .standard())
    let lines = source.components(separatedBy: "\n")
    var cells: [(first: Int, text: String)] = []
    var current: [String] = []
    var first = 1
    for (i, line) in lines.enumerated() {
        if line.trimmingCharacters(in: .whitespaces) == "// --- cell ---" {
            cells.append((first, current.joined(separator: "\n")))
            current = []
            first = i + 2
        } else {
            current.append(line)
        }
    }
    cells.append((first, current.joined(separator: "\n")))
    for cell in cells {
        do {
            try interpreter.run(cell: cell.text, file: file, firstLine: cell.first)
        } catch {
            host.finish()
            return (host.transcript, error)
        }
    }
    host.finish()
    return (host.transcript, nil)
}
