import Foundation
import LessonRunner
import LessonScript
import TensorEngine

/// One fuzz input, end to end but bounded: the bytes as a lesson (Markdown parsing, cells,
/// output blocks, an `--update` rewrite), then every cell — or the whole input, when it has
/// none — lexed, parsed, resolved and run with small time, memory and output budgets.
///
/// Any thrown error is a fine outcome; the harness only looks for traps, stack overflows
/// and hangs, which end the process (libFuzzer reports them with the input).
enum FuzzHarness {
    /// Per-cell time limit and the total for one input, in seconds.
    static let cellSeconds = 0.5
    static let inputSeconds = 2.0
    /// Largest input looked at: libFuzzer's default maximum length is far below it.
    static let maximumBytes = 1 << 20

    /// Budgets that keep one input from taking the machine: called once per process.
    static func configureLimits() {
        EngineLimits.maxAllocationBytes = 64 << 20
        EngineLimits.memoryBudgetBytes = 512 << 20
        EngineLimits.bufferCacheBytes = 32 << 20
    }

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= maximumBytes else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        var sources: [(text: String, firstLine: Int)] = []
        if let document = try? LessonDocument(text: text, path: "fuzz.md") {
            // The update rewrite and a reparse of its result must not fail either.
            let runs = document.cells.map {
                CellRun(id: $0.id, line: $0.fenceLine, outputs: [.text("out\r\u{0}\n")], status: .succeeded, seconds: 0)
            }
            if let updated = LessonUpdater.updatedText(document: document, runs: runs) {
                _ = try? LessonDocument(text: updated, path: "fuzz.md")
            }
            sources = document.cells.map { ($0.source, $0.firstSourceLine) }
        }
        if sources.isEmpty { sources = [(text, 1)] }
        execute(sources)
    }

    /// Runs the cells through the runner's own host, as `check` does: its output cap and its
    /// timeout (each cell gets the rest of the input's time, at most `cellSeconds`).
    static func execute(_ cells: [(text: String, firstLine: Int)]) {
        let host = RecordingHost(progress: .none)
        let interpreter = Interpreter(host: host)
        manualSeed(0)
        let inputDeadline = DispatchTime.now().uptimeNanoseconds + UInt64(inputSeconds * 1e9)
        for cell in cells {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < inputDeadline else { break }
            host.beginCell(timeout: min(cellSeconds, Double(inputDeadline - now) / 1e9))
            do { try interpreter.run(cell: cell.text, file: "fuzz.md", firstLine: cell.firstLine) } catch {}
            _ = host.endCell()
        }
    }
}
