import Foundation

extension Lessonbook {
    /// `lessonbook check`: runs each lesson and compares every cell that has an ```output
    /// block with what it produced. With `update`, the blocks are rewritten instead (after the
    /// whole lesson ran, atomically) and differences are not failures. With `jobs > 1`, the
    /// lessons run in parallel as child processes of `executable` (the engine's generator is
    /// process-global, so lessons cannot share a process).
    public static func check(paths: [String], update: Bool = false, junit: String? = nil, jobs: Int = 1,
                             reportJSON: String? = nil, executable: String? = nil, console: Console = Console(),
                             executor: () -> LessonExecutor = { LessonExecutor(snapshots: .workingDirectory) }) throws -> Int32 {
        let lessons = try lessonPaths(paths)
        if let script = lessons.first(where: { $0.hasSuffix(".swift") }) {
            throw UsageError("check takes Markdown lessons; run a script with: lessonbook run \(script)")
        }
        var reports: [LessonCheckReport]
        if jobs > 1, lessons.count > 1, let executable {
            reports = checkInChildren(lessons, update: update, jobs: jobs, executable: executable, console: console)
        } else {
            reports = lessons.map { checkLesson(path: $0, update: update, console: console, executor: executor()) }
        }
        if let junit {
            try AtomicFile.write(JUnitReport.xml(reports), to: URL(fileURLWithPath: junit))
        }
        if let reportJSON {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(try encoder.encode(reports), to: URL(fileURLWithPath: reportJSON))
        }
        let failed = reports.filter { !$0.passed }
        if lessons.count > 1 || reportJSON == nil {
            let cells = reports.reduce(0) { $0 + $1.cells.count }
            console.out(failed.isEmpty
                ? "All \(reports.count) lesson\(reports.count == 1 ? "" : "s") passed (\(cells) cells).\n"
                : "\(failed.count) of \(reports.count) lessons failed: \(failed.map(\.path).joined(separator: ", "))\n")
        }
        return failed.isEmpty ? 0 : 1
    }

    /// Checks one lesson in this process, printing its problems; returns its report.
    public static func checkLesson(path: String, update: Bool, console: Console, executor: LessonExecutor = LessonExecutor()) -> LessonCheckReport {
        let document: LessonDocument
        do { document = try LessonDocument.load(path: path) } catch {
            let line = (error as? LessonInputError)?.line ?? 0
            console.err("\(error)\n")
            if console.githubAnnotations { console.out(Console.annotation(file: path, line: line, message: "\(error)")) }
            return LessonCheckReport(path: path, title: path, seconds: 0, error: "\(error)", cells: [])
        }
        let result = executor.run(document)
        return report(for: result, update: update, console: console)
    }

    /// Compares a finished run with the lesson's output blocks, prints what differs, and
    /// (with `update`) rewrites the blocks.
    public static func report(for result: LessonResult, update: Bool, console: Console) -> LessonCheckReport {
        let document = result.document
        let path = document.path
        reportProblems(result, console: console)
        var cells: [LessonCheckReport.Cell] = []
        for (cell, run) in zip(document.cells, result.runs) {
            var entry = LessonCheckReport.Cell(id: cell.id, line: cell.fenceLine, seconds: run.seconds, outcome: .passed)
            switch run.status {
            case .notRun(let reason):
                entry.outcome = .skipped
                entry.message = reason
            case .failed(let message):
                entry.outcome = .failed
                entry.message = "cell \(cell.id): failed"
                entry.details = message
            case .timedOut(let seconds):
                entry.outcome = .failed
                entry.message = "cell \(cell.id): \(CellTimeout(seconds: seconds))"
            case .unexpectedSuccess:
                entry.outcome = .failed
                entry.message = "cell \(cell.id): expected an error (expect-error), but the cell ran without one"
            case .succeeded:
                guard !cell.options.nondeterministic, !update, let block = cell.output else { break }
                let actual = OutputText.text(of: run.outputs)
                let comparison = OutputComparison(tolerance: cell.options.tolerance)
                let outcome = comparison.compare(expected: block.content, actual: actual,
                                                 expectedLabel: "expected (\(path):\(block.lines.lowerBound))",
                                                 actualLabel: "actual")
                guard !outcome.matches else { break }
                var details = outcome.diff
                if let d = outcome.largest, d.difference > 0 {
                    details += "\nlargest numeric difference: \(formatDifference(d.difference)) at output line \(d.line) (expected \(d.expected), got \(d.actual))"
                }
                let tolerance = cell.options.tolerance.map { "tolerance=\($0)" } ?? "default tolerance \(OutputComparison.defaultRelativeTolerance)"
                if outcome.largest != nil { details += "; compared with \(tolerance)" }
                entry.outcome = .failed
                entry.message = "cell \(cell.id): output differs"
                entry.details = details
                console.failure(file: path, line: block.lines.lowerBound, title: "cell \(cell.id): output differs", details: details)
            }
            cells.append(entry)
        }
        var skipped: String?
        if case .skipped(let reason) = result.status { skipped = reason }
        var lessonError: String?
        if update {
            do {
                let written = try LessonUpdater.update(document: document, runs: result.runs)
                if !written.isEmpty {
                    let ids = written.compactMap { n in document.cells.first { $0.number == n }?.id }
                    console.err("\(path): updated the output of cell\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", "))\n")
                }
            } catch {
                lessonError = "cannot update \(path): \(error)"
                console.err("\(lessonError!)\n")
            }
        }
        let report = LessonCheckReport(path: path, title: document.title, seconds: result.seconds, error: lessonError,
                                       skippedReason: skipped, cells: cells)
        let verdict = skipped != nil ? "SKIP" : (report.passed ? "PASS" : "FAIL")
        let compared = document.cells.filter { $0.output != nil && !$0.options.nondeterministic && !$0.options.skip }.count
        console.out("\(verdict) \(path) (\(document.cells.count) cells, \(compared) compared, \(RecordingHost.formatSeconds(result.seconds)))\n")
        return report
    }

    static func formatDifference(_ value: Double) -> String {
        value.isNaN ? "nan" : String(format: "%.6g", value)
    }

    /// Runs `lessonbook check --report-json F LESSON` per lesson, at most `jobs` at a time,
    /// relaying each child's output in lesson order as soon as it and the lessons before it finish.
    static func checkInChildren(_ lessons: [String], update: Bool, jobs: Int, executable: String, console: Console) -> [LessonCheckReport] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lessonbook-check-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let files = { (index: Int) -> ChildFiles in
            ChildFiles(json: scratch.appendingPathComponent("\(index).json"), out: scratch.appendingPathComponent("\(index).out"),
                       err: scratch.appendingPathComponent("\(index).err"))
        }
        let tracker = ChildTracker(count: lessons.count) { index in
            let f = files(index)
            if let data = FileManager.default.contents(atPath: f.out.path) { console.out(String(decoding: data, as: UTF8.self)) }
            if let data = FileManager.default.contents(atPath: f.err.path) { console.err(String(decoding: data, as: UTF8.self)) }
        }
        let slots = DispatchSemaphore(value: jobs)
        let group = DispatchGroup()

        for (index, lesson) in lessons.enumerated() {
            slots.wait()
            let f = files(index)
            _ = FileManager.default.createFile(atPath: f.out.path, contents: nil)
            _ = FileManager.default.createFile(atPath: f.err.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["check", "--report-json", f.json.path] + (update ? ["--update"] : []) + ["--", lesson]
            var environment = ProcessInfo.processInfo.environment
            environment["LESSONBOOK_PROGRESS"] = "0"
            process.environment = environment
            process.standardOutput = try? FileHandle(forWritingTo: f.out)
            process.standardError = try? FileHandle(forWritingTo: f.err)
            group.enter()
            process.terminationHandler = { child in
                tracker.finish(index, status: child.terminationStatus)
                slots.signal()
                group.leave()
            }
            do { try process.run() } catch {
                try? "cannot start \(executable): \(error)\n".write(to: f.err, atomically: false, encoding: .utf8)
                tracker.finish(index, status: -1)
                slots.signal()
                group.leave()
            }
        }
        group.wait()
        let statuses = tracker.statuses

        return lessons.enumerated().map { index, lesson in
            let f = files(index)
            if let data = FileManager.default.contents(atPath: f.json.path),
               let decoded = try? JSONDecoder().decode([LessonCheckReport].self, from: data), let report = decoded.first {
                return report
            }
            let stderr = FileManager.default.contents(atPath: f.err.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return LessonCheckReport(path: lesson, title: lesson, seconds: 0,
                                     error: "the check process for \(lesson) ended with status \(statuses[index]) and no report\n\(stderr)",
                                     cells: [])
        }
    }
}

/// The files a `--jobs` child writes: its JSON report, stdout and stderr.
struct ChildFiles {
    var json: URL, out: URL, err: URL
}

/// Tracks which `--jobs` children finished and relays their output in lesson order.
final class ChildTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var finished: [Bool]
    private var exitStatuses: [Int32]
    private var relayed = 0
    private let relay: (Int) -> Void

    init(count: Int, relay: @escaping (Int) -> Void) {
        finished = Array(repeating: false, count: count)
        exitStatuses = Array(repeating: 0, count: count)
        self.relay = relay
    }

    func finish(_ index: Int, status: Int32) {
        lock.lock(); defer { lock.unlock() }
        exitStatuses[index] = status
        finished[index] = true
        while relayed < finished.count, finished[relayed] {
            relay(relayed)
            relayed += 1
        }
    }

    var statuses: [Int32] {
        lock.lock(); defer { lock.unlock() }
        return exitStatuses
    }
}
