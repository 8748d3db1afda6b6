import Foundation

extension Lessonbook {
    /// `lessonbook watch LESSON`: renders the lesson, then polls its modification time; on
    /// every save it reruns the lesson from the first changed cell (see `WatchSession`),
    /// prints the outputs of the cells whose output changed, and rewrites `output/NAME.md`
    /// and `.html`. Runs until interrupted (or for `iterations` rounds, in tests).
    ///
    /// `executor` makes the executor of each round around the session's snapshot store.
    public static func watch(path: String, output: String = "output", interval: Double = 0.5,
                             console: Console = Console(), iterations: Int? = nil,
                             executor: @escaping (SnapshotStore) -> LessonExecutor = { LessonExecutor(snapshots: $0) }) throws -> Int32 {
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("no such lesson: \(path)") }
        guard !path.hasSuffix(".swift") else { throw UsageError("watch takes a Markdown lesson; \(path) is a script") }
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let katex = try KaTeXAssets.install(into: folder)
        let session = WatchSession(executor: executor)
        var lastStamp: Date?
        var rounds = 0
        var status: Int32 = 0
        console.err("watching \(path) (Ctrl-C to stop)\n")
        while iterations.map({ rounds < $0 }) ?? true {
            let stamp = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            if stamp != lastStamp {
                lastStamp = stamp
                rounds += 1
                status = watchRound(path: path, folder: folder, katex: katex, session: session, console: console)
            } else {
                Thread.sleep(forTimeInterval: interval)
            }
        }
        return status
    }

    /// One save: reruns the lesson in `session`, prints what changed, rewrites the page.
    static func watchRound(path: String, folder: URL, katex: Bool, session: WatchSession, console: Console) -> Int32 {
        let document: LessonDocument
        do { document = try LessonDocument.load(path: path) } catch {
            console.err("\(error)\n")
            return 1
        }
        let result = session.run(document)
        reportProblems(result, console: console)
        let changed = session.showChangedOutputs(result, console: console)
        do { try writeArtifacts(result, to: folder, katex: katex) } catch {
            console.err("\(path): cannot write the rendered lesson: \(error)\n")
        }
        var ran = "nothing rerun"
        if let first = result.executedCells.first, let last = result.executedCells.last {
            ran = first == last ? "ran cell \(first)" : "ran cells \(first)–\(last)"
        }
        console.err("\(statusWord(result.status)) \(path): \(changed) cell output\(changed == 1 ? "" : "s") changed, \(ran), \(RecordingHost.formatSeconds(result.seconds)); wrote \(folder.path)/\(document.artifactNames.htmlFile)\n")
        return result.status == .failed ? 1 : 0
    }
}

/// What `watch` keeps between saves of one lesson: the state after each cell of the version
/// it ran last (snapshots in memory) and each cell's run, so that a new version runs from
/// its first changed cell onward.
///
/// A cell's run and the state after it depend only on the lesson's seed and the cells up to
/// it, which is what `SnapshotKey` hashes; both are filed under the key of the state after
/// the cell. A new version restores the latest state whose key it shares (the one just
/// before its first changed cell, when that state could be saved), executes the cells after
/// it, and takes the runs of the restored cells from the previous version: the result is the
/// result of a full run. A cell that failed is run again on the next save.
final class WatchSession {
    let snapshots = SnapshotStore.inMemory()
    private let makeExecutor: (SnapshotStore) -> LessonExecutor
    /// The runs of the last version's cells (up to its first failure), by the key of the
    /// state after the cell.
    private var runs: [SnapshotKey: CellRun] = [:]
    /// The output text shown last for each cell id.
    private var shown: [String: String] = [:]
    /// The result of the latest `run`.
    private(set) var lastResult: LessonResult?

    init(executor: @escaping (SnapshotStore) -> LessonExecutor) { makeExecutor = executor }

    /// Runs `document`, the lesson as just saved, from its first changed cell.
    func run(_ document: LessonDocument) -> LessonResult {
        let cells = document.cells
        let keys = cells.map { SnapshotKey(document: document, beforeCell: $0.number + 1) }
        let folder = URL(fileURLWithPath: document.path).deletingLastPathComponent()
        var result: LessonResult
        if !cells.isEmpty, document.frontMatter.missingRequirement(lessonFolder: folder) == nil,
           let known = recordedRuns(keys[...]) {
            // Only prose or nothing changed: every cell's run stands.
            result = LessonResult(document: document, runs: known, status: .passed, seconds: 0)
            result.restoredThrough = cells.count
        } else {
            result = makeExecutor(snapshots).run(document, lastCell: cells.count, resume: true)
            if let restored = result.restoredThrough {
                if let earlier = recordedRuns(keys.prefix(restored)) {
                    result.runs.replaceSubrange(0..<restored, with: earlier)
                } else {
                    // Should not happen (every saved state had its cells' runs recorded);
                    // a full run is always right.
                    result = makeExecutor(snapshots).run(document)
                }
            }
        }
        if case .skipped = result.status {
            runs = [:]
        } else {
            result.status = result.runs.contains(where: \.status.failsLesson) ? .failed : .passed
            remember(result, keys: keys)
        }
        lastResult = result
        return result
    }

    /// The recorded runs for `keys`, or nil when one is missing.
    private func recordedRuns(_ keys: ArraySlice<SnapshotKey>) -> [CellRun]? {
        var found: [CellRun] = []
        for key in keys {
            guard let run = runs[key] else { return nil }
            found.append(run)
        }
        return found
    }

    /// Keeps the runs and states of this version only, so memory does not grow with saves.
    private func remember(_ result: LessonResult, keys: [SnapshotKey]) {
        var kept: [SnapshotKey: CellRun] = [:]
        for (index, (cell, run)) in zip(result.document.cells, result.runs).enumerated() {
            // A failed cell runs again on the next save, and the cells after it did not run.
            let stands: Bool
            switch run.status {
            case .succeeded, .unexpectedSuccess: stands = true
            case .notRun: stands = cell.options.skip
            case .failed, .timedOut: stands = false
            }
            guard stands else { break }
            kept[keys[index]] = run
        }
        runs = kept
        snapshots.retainOnly(Set(keys), names: result.document.artifactNames)
    }

    /// Prints, on stdout, the output of every cell that ran and whose output differs from what
    /// was shown for it last. Returns how many were printed.
    func showChangedOutputs(_ result: LessonResult, console: Console) -> Int {
        var current: [String: String] = [:]
        var changed = 0
        for run in result.runs {
            if case .notRun = run.status { continue }
            let text = OutputText.text(of: run.outputs)
            current[run.id] = text
            if shown[run.id] != text {
                changed += 1
                console.out("── cell \(run.id) ──\n" + (text.isEmpty ? "" : text + "\n"))
            }
        }
        shown = current
        return changed
    }
}

extension CellStatus {
    /// Whether a cell with this status makes its lesson fail.
    var failsLesson: Bool {
        switch self {
        case .failed, .timedOut, .unexpectedSuccess: return true
        case .succeeded, .notRun: return false
        }
    }
}
