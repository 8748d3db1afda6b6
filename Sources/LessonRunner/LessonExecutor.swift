import Foundation
import LessonScript
import TensorEngine

/// A lesson after running, with the document it came from.
public struct LessonResult {
    public var document: LessonDocument
    /// One run per cell of `document`, in order.
    public var runs: [CellRun]
    public var status: LessonStatus
    public var seconds: Double

    /// The lesson as the HTML renderer draws it: prose as written (front matter and the old
    /// output blocks left out) and every cell with its fresh run.
    public var rendered: RenderedLesson {
        var blocks: [RenderedLesson.Block] = []
        var runIndex = 0
        for segment in document.segments {
            switch segment {
            case .frontMatter: continue
            case .prose(let range):
                blocks.append(.prose(document.text(of: range)))
            case .cell(let cell):
                blocks.append(.cell(source: cell.source, hidden: cell.options.hide, run: runs[runIndex]))
                runIndex += 1
            }
        }
        return RenderedLesson(title: document.title, sourcePath: document.path, slug: document.artifactNames.slug,
                              blocks: blocks, status: status, seconds: seconds)
    }
}

/// Runs a lesson's cells top to bottom through one engine (one shared global scope).
///
/// - The engine's generator is seeded with the lesson's `seed` before the first cell.
/// - A cell that fails or times out stops the lesson; the later cells are `notRun`.
/// - An `expect-error` cell must fail: its error becomes its output and it succeeds; if it
///   does not fail it is `unexpectedSuccess` (the lesson fails, the later cells still run,
///   since the state is whatever the code left, as in a normal cell).
/// - `skip` cells are `notRun`; a lesson with a missing requirement is skipped as a whole.
public final class LessonExecutor {
    public typealias EngineFactory = (ScriptHost) -> CellEngine

    private let makeEngine: EngineFactory
    private let host: RecordingHost

    /// An executor running cells with `engine` (by default LessonScript's interpreter).
    public init(host: RecordingHost = RecordingHost(), engine: @escaping EngineFactory = { InterpreterEngine(host: $0) }) {
        self.host = host
        self.makeEngine = engine
    }

    /// Runs `document`. With `lastCell` (a cell number), cells after it are not run — the
    /// earlier ones always are, since their state is what the requested cell starts from.
    /// (A snapshot store under `.lessonbook/cache/`, keyed by `SnapshotKey`, is where a
    /// restored state would let this start later; the interpreter cannot snapshot yet.)
    public func run(_ document: LessonDocument, lastCell: Int? = nil) -> LessonResult {
        let started = RecordingHost.now()
        let cells = document.cells
        let folder = URL(fileURLWithPath: document.path).deletingLastPathComponent()
        if let missing = document.frontMatter.missingRequirement(lessonFolder: folder) {
            let reason = "requires \(missing), which is missing"
            let runs = cells.map { CellRun(id: $0.id, line: $0.fenceLine, outputs: [], status: .notRun(reason: reason), seconds: 0) }
            return LessonResult(document: document, runs: runs, status: .skipped(reason: reason), seconds: 0)
        }

        manualSeed(document.frontMatter.seed)
        let engine = makeEngine(host)
        var runs: [CellRun] = []
        var stoppedBy: String?
        var failed = false
        for cell in cells {
            if let lastCell, cell.number > lastCell {
                runs.append(CellRun(id: cell.id, line: cell.fenceLine, outputs: [], status: .notRun(reason: "not requested"), seconds: 0))
                continue
            }
            if let stoppedBy {
                runs.append(CellRun(id: cell.id, line: cell.fenceLine, outputs: [],
                                    status: .notRun(reason: "not run: cell \(stoppedBy) failed"), seconds: 0))
                continue
            }
            if cell.options.skip {
                runs.append(CellRun(id: cell.id, line: cell.fenceLine, outputs: [], status: .notRun(reason: "skip"), seconds: 0))
                continue
            }
            let run = runCell(cell, engine: engine, document: document)
            runs.append(run)
            switch run.status {
            case .failed, .timedOut:
                failed = true
                stoppedBy = cell.id
            case .unexpectedSuccess:
                failed = true
            case .succeeded, .notRun:
                break
            }
        }
        let seconds = Double(RecordingHost.now() - started) / 1e9
        return LessonResult(document: document, runs: runs, status: failed ? .failed : .passed, seconds: seconds)
    }

    private func runCell(_ cell: LessonDocument.Cell, engine: CellEngine, document: LessonDocument) -> CellRun {
        let timeout = cell.options.timeout ?? document.frontMatter.timeout
        host.beginCell(timeout: timeout)
        let started = RecordingHost.now()
        var status: CellStatus = .succeeded
        do {
            try engine.run(cell: cell.source, file: document.path, firstLine: cell.firstSourceLine)
            if cell.options.expectError { status = .unexpectedSuccess }
        } catch let timeout as CellTimeout {
            status = .timedOut(seconds: timeout.seconds)
        } catch {
            let text = engine.describe(error)
            if cell.options.expectError {
                host.recordLine(text.output)
            } else {
                status = .failed(message: text.full)
            }
        }
        let seconds = Double(RecordingHost.now() - started) / 1e9
        let outputs = host.endCell()
        host.reportTiming(cell: cell.id, seconds: seconds, file: document.path)
        return CellRun(id: cell.id, line: cell.fenceLine, outputs: outputs, status: status, seconds: seconds)
    }
}
