import Foundation
import LessonScript
import TensorEngine

/// What a caller hears while a lesson runs (all on the executing thread).
public struct ExecutionEvents {
    /// A cell is about to be executed.
    public var cellStarted: (LessonDocument.Cell) -> Void = { _ in }
    /// Text or a rich output the running cell just produced (see `RecordingHost.live`).
    public var produced: (CellOutput) -> Void = { _ in }
    /// A cell's run is known: executed (`reused` false) or taken from its record.
    public var cellFinished: (LessonDocument.Cell, CellRun, _ reused: Bool) -> Void = { _, _, _ in }
    public init() {}
}

/// The one executor of every command. It runs a lesson's cells top to bottom through one
/// engine (one shared global scope), resuming from the cache:
///
/// - With `reuse`, the longest prefix of cells whose records are valid (`CellKey`) is taken
///   from the cache; the rest is executed from the latest stored state at or before that
///   prefix's end (cells between that state and the prefix's end are executed again).
/// - Every executed cell that succeeds stores its record, and the state after it when that
///   state is small (`smallSnapshot` bytes, no tensor not stored yet), or spares at least
///   `snapshotWorth` seconds of execution since the last stored state, or comes before the
///   last cell (the one most often edited): a state holding a data set or a network's weights
///   is large, and storing it only pays when it skips real work.
/// - The engine's generator is seeded with the lesson's `seed` before the first cell, and
///   the lesson's `memory:` is the engine's memory budget while it runs.
/// - A cell that fails or times out stops the lesson; the later cells are `notRun`.
/// - An `expect-error` cell must fail: its error becomes its output and it succeeds; if it
///   does not fail it is `unexpectedSuccess` (the lesson fails, the later cells still run).
/// - `skip` cells are `notRun`; a lesson with a missing requirement is skipped as a whole.
public final class LessonExecutor {
    public typealias EngineFactory = (ScriptHost) -> CellEngine

    private let makeEngine: EngineFactory
    private let host: RecordingHost
    /// Where cell records and the states between cells live; nil runs without a cache.
    public let cache: CellCache?
    /// Seconds of execution a large stored state must spare (see the type's notes).
    public var snapshotWorth: Double = 1
    /// Bytes under which a state is always stored (when all its large tensors are stored already).
    public var smallSnapshot = 1 << 20

    /// An executor running cells with `engine` (by default LessonScript's interpreter),
    /// reading and writing records and states in `cache`.
    public init(host: RecordingHost = RecordingHost(), engine: @escaping EngineFactory = { InterpreterEngine(host: $0) },
                cache: CellCache? = nil) {
        self.host = host
        self.makeEngine = engine
        self.cache = cache
    }

    /// Runs `document` up to `lastCell` (all cells by default; later ones are `notRun`).
    /// With `reuse`, cells with a valid record are not executed (see the type's notes).
    public func run(_ document: LessonDocument, lastCell: Int? = nil, reuse: Bool = false,
                    events: ExecutionEvents = ExecutionEvents()) -> LessonResult {
        let started = RecordingHost.now()
        let cells = document.cells
        let folder = URL(fileURLWithPath: document.path).deletingLastPathComponent()
        if let missing = document.frontMatter.missingRequirement(lessonFolder: folder) {
            let reason = LessonStatus.missingRequirementReason(missing)
            let runs = cells.map { CellRun(id: $0.id, line: $0.fenceLine, outputs: [], status: .notRun(reason: reason), seconds: 0) }
            return LessonResult(document: document, runs: runs, status: .skipped(reason: reason), seconds: 0)
        }
        // The lesson's own memory budget holds while it runs; the process's comes back after.
        let engineBudget = EngineLimits.memoryBudgetBytes
        if let budget = document.frontMatter.memoryBudget { EngineLimits.memoryBudgetBytes = budget }
        defer { EngineLimits.memoryBudgetBytes = engineBudget }
        let keys = cache == nil ? [] : CellKey.keys(for: document)
        let slug = document.artifactNames.slug
        if let cache, !document.frontMatter.requires.isEmpty {
            cache.storeRequirements(CellKey.requirementIdentity(of: document), slug: slug)
        }
        let target = min(lastCell ?? cells.count, cells.count)

        // The valid records from the top.
        var recorded: [CellRun] = []
        if reuse, let cache {
            for cell in cells.prefix(target) {
                if cell.options.skip {
                    recorded.append(CellRun(id: cell.id, line: cell.fenceLine, outputs: [], status: .skipOption, seconds: 0))
                } else if let record = cache.record(keys[cell.number - 1], slug: slug) {
                    recorded.append(record.run(of: cell))
                } else {
                    break
                }
            }
        }
        manualSeed(document.frontMatter.seed)
        var engine: CellEngine?
        var resumeAfter = recorded.count
        if recorded.count < target {
            (engine, resumeAfter) = restore(document, keys: keys, atOrBefore: recorded.count)
        }

        var runs: [CellRun] = []
        var executed: [Int] = [], reused: [Int] = []
        var stoppedBy: String?
        var failed = false
        var sinceSnapshot = 0.0
        for cell in cells {
            let index = cell.number - 1
            if index < resumeAfter {
                runs.append(recorded[index])
                if !cell.options.skip { reused.append(cell.number) }
                events.cellFinished(cell, recorded[index], true)
                if recorded[index].status.failsLesson { failed = true }
                continue
            }
            var run: CellRun
            if cell.number > target {
                run = CellRun(id: cell.id, line: cell.fenceLine, outputs: [], status: .notRequested, seconds: 0)
            } else if let stoppedBy {
                run = CellRun(id: cell.id, line: cell.fenceLine, outputs: [], status: .stopped(by: stoppedBy), seconds: 0)
            } else if cell.options.skip {
                run = CellRun(id: cell.id, line: cell.fenceLine, outputs: [], status: .skipOption, seconds: 0)
            } else {
                let current = engine ?? makeEngine(host)
                engine = current
                events.cellStarted(cell)
                run = runCell(cell, engine: current, document: document, events: events)
                executed.append(cell.number)
                events.cellFinished(cell, run, false)
                switch run.status {
                case .failed, .timedOut: failed = true; stoppedBy = cell.id
                case .unexpectedSuccess: failed = true
                case .succeeded, .notRun: break
                }
                if let cache, CellRecord.keeps(run.status) {
                    cache.store(CellRecord(run: run, names: document.artifactNames), key: keys[index], slug: slug)
                    // The state after the lesson's last cell starts no cell: not worth saving.
                    sinceSnapshot += run.seconds
                    if stoppedBy == nil, cell.number < cells.count,
                       saveSnapshot(current, key: keys[index], slug: slug, cache: cache,
                                    always: sinceSnapshot >= snapshotWorth || cell.number == cells.count - 1) {
                        sinceSnapshot = 0
                    }
                }
            }
            runs.append(run)
        }
        let seconds = Double(RecordingHost.now() - started) / 1e9
        var result = LessonResult(document: document, runs: runs, status: failed ? .failed : .passed, seconds: seconds)
        result.executedCells = executed
        result.reusedCells = reused
        return result
    }

    /// Each cell's valid record (nil where there is none), whatever the records before it:
    /// what a page shows for cells a command did not run. For a lesson whose `requires:` file
    /// is missing, the records of its last run with the files it had then.
    public func recordedRuns(_ document: LessonDocument) -> [CellRun?] {
        guard let cache else { return document.cells.map { _ in nil } }
        let slug = document.artifactNames.slug
        let folder = URL(fileURLWithPath: document.path).deletingLastPathComponent()
        let missing = document.frontMatter.missingRequirement(lessonFolder: folder) != nil
        let keys = CellKey.keys(for: document, requirements: missing ? cache.lastRequirements(slug: slug) : nil)
        return document.cells.map { cell in cache.record(keys[cell.number - 1], slug: slug)?.run(of: cell) }
    }

    /// Saves the state after a cell when `always`, or when it is small; not when it is stored
    /// already or cannot be saved (then a later run resumes from an earlier state). Returns
    /// whether the state is stored now.
    @discardableResult
    private func saveSnapshot(_ engine: CellEngine, key: CellKey, slug: String, cache: CellCache, always: Bool) -> Bool {
        guard let engine = engine as? SnapshottingEngine else { return false }
        if cache.hasSnapshot(key, slug: slug) { return true }
        guard let (archive, blobs) = try? engine.snapshot(header: Self.snapshotHeader) else { return false }
        guard always || (archive.count <= smallSnapshot && blobs.keys.allSatisfy(cache.hasBlob)) else { return false }
        cache.storeSnapshot(archive: archive, blobs: blobs, key: key, slug: slug)
        return true
    }

    /// What a snapshot must have been written with to be read (the key also covers the build).
    static var snapshotHeader: String { "lessonbook \(LessonbookVersion.current)" }

    /// An engine restored from the latest usable state after cell `limit` or an earlier one,
    /// and the number of cells it stands for; (nil, 0) when there is none.
    private func restore(_ document: LessonDocument, keys: [CellKey], atOrBefore limit: Int) -> (CellEngine?, Int) {
        guard let cache, limit > 0 else { return (nil, 0) }
        let slug = document.artifactNames.slug
        for k in stride(from: limit, through: 1, by: -1) {
            guard let archive = cache.snapshot(keys[k - 1], slug: slug) else { continue }
            guard let engine = makeEngine(host) as? SnapshottingEngine else { return (nil, 0) }
            let ran = document.cells.filter { $0.number <= k && !$0.options.skip }
                .map { SnapshotCell(source: $0.source, file: document.path, firstLine: $0.firstSourceLine) }
            do {
                try engine.restore(archive, header: Self.snapshotHeader, cells: ran, blobSource: { cache.blob($0) })
                return (engine, k)
            } catch {
                // A restore that failed half-way leaves the engine (and the generator) in no known state.
                manualSeed(document.frontMatter.seed)
            }
        }
        return (nil, 0)
    }

    private func runCell(_ cell: LessonDocument.Cell, engine: CellEngine, document: LessonDocument, events: ExecutionEvents) -> CellRun {
        let timeout = cell.options.timeout ?? document.frontMatter.timeout
        host.live = events.produced
        host.beginCell(timeout: timeout, label: "\(document.path): cell \(cell.id)")
        let started = RecordingHost.now()
        var status: CellStatus = .succeeded
        do {
            try engine.run(cell: cell.source, file: document.path, firstLine: cell.firstSourceLine)
            if cell.options.expectError { status = .unexpectedSuccess }
        } catch let timeout as CellTimeout {
            status = .timedOut(seconds: timeout.seconds)
        } catch let stopped as CellStopped {
            status = .failed(message: stopped.description)
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
        host.live = nil
        host.reportTiming(cell: cell.id, seconds: seconds, file: document.path)
        return CellRun(id: cell.id, line: cell.fenceLine, outputs: outputs, status: status, seconds: seconds)
    }
}
