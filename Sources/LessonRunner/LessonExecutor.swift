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
    /// The numbers of the cells that were executed (not restored, skipped or left out).
    public var executedCells: [Int] = []
    /// When the run started from a snapshot: the number of the last cell it stood for
    /// (that cell and the ones before it were not executed).
    public var restoredThrough: Int?

    /// The lesson as the HTML renderer draws it: prose as written (front matter and the old
    /// output blocks left out) and every cell with its fresh run.
    public var rendered: RenderedLesson {
        var blocks: [RenderedLesson.Block] = []
        var runIndex = 0
        for segment in document.segments {
            switch segment {
            case .frontMatter: continue
            case .prose(let range):
                blocks.append(.prose(document.text(of: range), firstLine: range.lowerBound))
            case .cell(let cell):
                blocks.append(.cell(source: cell.source, options: cell.options, run: runs[runIndex]))
                runIndex += 1
            }
        }
        return RenderedLesson(title: document.title, sourcePath: document.path, slug: document.artifactNames.slug,
                              blocks: blocks, status: status, seconds: seconds, description: document.frontMatter.description)
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
    /// Where the state after each cell is saved, and restored from by `resume`.
    public let snapshots: SnapshotStore?

    /// An executor running cells with `engine` (by default LessonScript's interpreter). With
    /// `snapshots`, the state after each cell (when the engine can save it) is stored there.
    public init(host: RecordingHost = RecordingHost(), engine: @escaping EngineFactory = { InterpreterEngine(host: $0) },
                snapshots: SnapshotStore? = nil) {
        self.host = host
        self.makeEngine = engine
        self.snapshots = snapshots
    }

    /// Runs `document`. With `lastCell` (a cell number), cells after it are not run. With
    /// `resume`, the run starts from the latest snapshot stored for a state before
    /// `lastCell` whose earlier cells are unchanged (see `SnapshotKey`), restoring it instead
    /// of executing those cells (they are reported `notRun`, "restored from a snapshot");
    /// a snapshot that cannot be read is passed over for an earlier one, or a full run.
    public func run(_ document: LessonDocument, lastCell: Int? = nil, resume: Bool = false) -> LessonResult {
        let started = RecordingHost.now()
        let cells = document.cells
        let folder = URL(fileURLWithPath: document.path).deletingLastPathComponent()
        if let missing = document.frontMatter.missingRequirement(lessonFolder: folder) {
            let reason = "requires \(missing), which is missing"
            let runs = cells.map { CellRun(id: $0.id, line: $0.fenceLine, outputs: [], status: .notRun(reason: reason), seconds: 0) }
            return LessonResult(document: document, runs: runs, status: .skipped(reason: reason), seconds: 0)
        }

        manualSeed(document.frontMatter.seed)
        var engine = makeEngine(host)
        var restoredThrough: Int?
        if resume, let lastCell, let snapshots {
            (engine, restoredThrough) = restore(document, before: lastCell, store: snapshots, fresh: engine)
        }
        var runs: [CellRun] = []
        var executed: [Int] = []
        var stoppedBy: String?
        var failed = false
        for cell in cells {
            if let restoredThrough, cell.number <= restoredThrough {
                runs.append(CellRun(id: cell.id, line: cell.fenceLine, outputs: [], status: .notRun(reason: "restored from a snapshot"), seconds: 0))
                continue
            }
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
            executed.append(cell.number)
            switch run.status {
            case .failed, .timedOut:
                failed = true
                stoppedBy = cell.id
            case .unexpectedSuccess:
                failed = true
            case .succeeded, .notRun:
                break
            }
            // The state after the lesson's last cell starts no cell: not worth saving.
            if stoppedBy == nil, cell.number < cells.count {
                saveSnapshot(after: cell.number, of: document, engine: engine)
            }
        }
        let seconds = Double(RecordingHost.now() - started) / 1e9
        var result = LessonResult(document: document, runs: runs, status: failed ? .failed : .passed, seconds: seconds)
        result.executedCells = executed
        result.restoredThrough = restoredThrough
        return result
    }

    /// Saves the state after cell `number`, unless a snapshot with its key exists already
    /// (the key fixes the state: same seed, same earlier cells, same version) or the state
    /// cannot be saved (then a later `resume` starts from an earlier snapshot).
    private func saveSnapshot(after number: Int, of document: LessonDocument, engine: CellEngine) {
        guard let snapshots, let engine = engine as? SnapshottingEngine else { return }
        let key = SnapshotKey(document: document, beforeCell: number + 1)
        let names = document.artifactNames
        if snapshots.contains(key, names: names) { return }
        do {
            let (archive, blobs) = try engine.snapshot(header: SnapshotStore.header)
            try snapshots.save(archive: archive, blobs: blobs, key: key, names: names)
        } catch {
            // No snapshot for this cell: not an error of the lesson.
        }
    }

    /// The engine restored from the latest usable snapshot before cell `target`, and the
    /// number of the last cell it stands for; `fresh` and nil when there is none.
    private func restore(_ document: LessonDocument, before target: Int, store: SnapshotStore, fresh: CellEngine) -> (CellEngine, Int?) {
        guard fresh is SnapshottingEngine else { return (fresh, nil) }
        let names = document.artifactNames
        var candidate: CellEngine? = fresh
        for k in stride(from: target - 1, through: 1, by: -1) {
            let key = SnapshotKey(document: document, beforeCell: k + 1)
            guard let archive = store.load(key, names: names) else { continue }
            let engine = candidate ?? makeEngine(host)
            candidate = nil
            guard let snapshotting = engine as? SnapshottingEngine else { return (engine, nil) }
            let ran = document.cells.filter { $0.number <= k && !$0.options.skip }
                .map { SnapshotCell(source: $0.source, file: document.path, firstLine: $0.firstSourceLine) }
            do {
                try snapshotting.restore(archive, header: SnapshotStore.header, cells: ran, blobSource: store.blobSource(names: names))
                return (engine, k)
            } catch {
                // A restore that failed half-way leaves the engine in no known state.
                manualSeed(document.frontMatter.seed)
            }
        }
        manualSeed(document.frontMatter.seed)
        return (candidate ?? makeEngine(host), nil)
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
