import Foundation
import LessonScript
import TensorEngine

extension Lessonbook {
    /// `lessonbook run LESSON [--cell ID|N] [--update] [--fresh]`.
    ///
    /// Without `cell`: runs the whole lesson (a `.swift` file is a one-cell lesson) and prints
    /// each cell's output on stdout as it is produced. With `cell`: runs the lesson up to that
    /// cell, prints its output, and rewrites `output/NAME.md` and `.html` with every cell's
    /// valid record. `update` writes the new output back into the lesson.
    ///
    /// Cells whose record in the cache is valid (`CellKey`) are not executed unless `fresh`:
    /// the run resumes from the latest stored state and says how many cells it executed and
    /// reused (on stderr).
    public static func run(path: String, cell selector: String? = nil, update: Bool = false, fresh: Bool = false,
                           output: String = "output", console: Console = Console(),
                           executor: () -> LessonExecutor = { LessonExecutor() }) throws -> Int32 {
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("no such lesson: \(path)") }
        let isScript = path.hasSuffix(".swift")
        if isScript, update { throw UsageError("--update writes output blocks into a Markdown lesson; \(path) is a script") }
        let document: LessonDocument
        do { document = try loadDocument(path: path) } catch {
            console.err("\(error)\n")
            return 1
        }
        for warning in document.warnings { console.err("\(warning)\n") }
        let executor = executor()

        guard let selector else {
            let printer = LivePrinter(console: console, headers: document.cells.count > 1)
            let result = executor.run(document, reuse: !fresh, events: printer.events)
            reportProblems(result, console: console)
            if executor.cache != nil { console.err("\(path): \(result.executionSummary)\n") }
            if update { try LessonUpdater.update(document: document, runs: result.runs) }
            return result.status == .failed ? 1 : 0
        }

        let target = try cell(selector, in: document)
        if !isScript { try checkOutputNames(lessons: [path], output: output) }
        if target.options.skip { console.err("\(path):\(target.fenceLine): note: cell \(target.id) is marked skip; running it anyway\n") }
        var runnable = document
        runnable.unskip(cellNumber: target.number)
        let result = executor.run(runnable, lastCell: target.number, reuse: !fresh)
        reportProblems(result, console: console)
        let run = result.runs[target.number - 1]
        let text = OutputText.text(of: run.outputs)
        if !text.isEmpty { console.out(text + "\n") }
        var note = result.executionSummary
        if result.reusedCells.isEmpty, target.number > 1 {
            note += executor.cache == nil ? " (no cache: ran from the top)" : " (no stored state before it: ran from the top)"
        }
        console.err("\(path): cell \(target.id): \(note)\n")

        var status: Int32 = run.status == .succeeded ? 0 : 1
        if !isScript {
            do {
                try publish(result, to: URL(fileURLWithPath: output, isDirectory: true), executor: executor)
            } catch {
                console.err("\(path): cannot write the rendered lesson: \(error)\n")
                status = 1
            }
            if update {
                var onlyTarget = result.runs
                for index in onlyTarget.indices where index != target.number - 1 {
                    onlyTarget[index].status = .notRequested
                }
                try LessonUpdater.update(document: document, runs: onlyTarget)
            }
        }
        return status
    }
}

/// Prints a running lesson's outputs as they are produced (`run`): a `── cell ID ──` header
/// when a cell starts, printed text as it is printed, each rich output on a line of its own,
/// and a reused cell's recorded output at once.
final class LivePrinter {
    private let console: Console
    private let headers: Bool
    private var lastCharacter: Character?

    init(console: Console, headers: Bool) { self.console = console; self.headers = headers }

    var events: ExecutionEvents {
        var events = ExecutionEvents()
        events.cellStarted = { [self] cell in begin(cell) }
        events.produced = { [self] output in show(output) }
        events.cellFinished = { [self] cell, run, reused in
            if reused {
                if case .notRun = run.status { return }
                begin(cell)
                run.outputs.forEach(show)
            }
            if let lastCharacter, lastCharacter != "\n" { console.out("\n") }
        }
        return events
    }

    private func begin(_ cell: LessonDocument.Cell) {
        lastCharacter = nil
        if headers { console.out("── cell \(cell.id) ──\n") }
    }

    private func show(_ output: CellOutput) {
        var text: String
        switch output {
        case .text(let printed): text = printed
        case .rich(let rich):
            text = OutputText.line(for: rich) + "\n"
            if let lastCharacter, lastCharacter != "\n" { text = "\n" + text }
        }
        guard let last = text.last else { return }
        console.out(text)
        lastCharacter = last
    }
}

extension LessonDocument {
    /// The document with `skip` removed from one cell (so `run --cell` can run a skipped cell).
    mutating func unskip(cellNumber: Int) {
        segments = segments.map { segment in
            guard case .cell(var cell) = segment, cell.number == cellNumber else { return segment }
            cell.options.skip = false
            return .cell(cell)
        }
    }
}
