import Foundation

extension Lessonbook {
    /// How `check` runs: the flags besides the lessons.
    public struct CheckOptions {
        /// Rewrite the output blocks instead of comparing.
        public var update = false
        /// Reuse cells whose record is valid instead of executing them (fast local iteration).
        public var cached = false
        /// A skipped lesson fails.
        public var strict = false
        public var junit: String?
        public var reportJSON: String?
        public var jobs = 1
        public var shard: Shard?
        /// The arguments that give a child process the same cache (`--cache-dir D` or `--no-cache`).
        public var cacheArguments: [String] = []
        public init() {}
    }

    /// `lessonbook check`: runs each lesson and compares every cell with its ```output block.
    /// With `update`, the blocks are rewritten instead (after the whole lesson ran,
    /// atomically) and differences are not failures. With `executable` (the command line
    /// passes its own path) and more than one lesson, each lesson runs in a child process
    /// (`jobs` at a time), so that a cell that crashes the process fails only its lesson; the
    /// children report back as JSON. Output paths are checked before anything runs.
    public static func check(paths: [String], options: CheckOptions = CheckOptions(), executable: String? = nil,
                             console: Console = Console(), executor: () -> LessonExecutor = { LessonExecutor() }) throws -> Int32 {
        let lessons = Lessonbook.lessons(try lessonPaths(paths), inShard: options.shard)
        if let script = lessons.first(where: { $0.hasSuffix(".swift") }) {
            throw UsageError("check takes Markdown lessons; run a script with: lessonbook run \(script)")
        }
        if let junit = options.junit { try ensureWritable(file: junit, option: "--junit") }
        if let json = options.reportJSON { try ensureWritable(file: json, option: "--report-json") }
        var reports: [LessonCheckReport]
        if lessons.count > 1, let executable {
            reports = checkInChildren(lessons, options: options, executable: executable, console: console)
        } else {
            reports = lessons.map { checkLesson(path: $0, options: options, console: console, executor: executor()) }
        }
        if options.strict {
            for index in reports.indices where reports[index].skippedReason != nil {
                reports[index].error = "skipped (--strict): \(reports[index].skippedReason!)"
            }
        }
        if let junit = options.junit { try AtomicFile.write(JUnitReport.xml(reports), to: URL(fileURLWithPath: junit)) }
        if let json = options.reportJSON {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(try encoder.encode(reports), to: URL(fileURLWithPath: json))
        }
        let failed = reports.filter { !$0.passed }
        if lessons.count > 1 || options.reportJSON == nil { console.out(summaryLine(reports) + "\n") }
        return failed.isEmpty ? 0 : 1
    }

    /// `8 passed, 0 failed, 1 skipped (312 cells; executed 312, reused 0)`, and the failed lessons.
    static func summaryLine(_ reports: [LessonCheckReport]) -> String {
        let failed = reports.filter { !$0.passed }
        let skipped = reports.filter { $0.passed && $0.skippedReason != nil }
        let passed = reports.count - failed.count - skipped.count
        let cells = reports.reduce(0) { $0 + $1.cells.count }
        let executed = reports.reduce(0) { $0 + ($1.executed ?? 0) }
        let reused = reports.reduce(0) { $0 + ($1.reused ?? 0) }
        var line = "\(passed) passed, \(failed.count) failed, \(skipped.count) skipped (\(cells) cells; executed \(executed), reused \(reused))"
        if !failed.isEmpty { line += "\nFailed: " + failed.map(\.path).joined(separator: ", ") }
        return line
    }

    /// Checks one lesson in this process, printing its problems; returns its report.
    public static func checkLesson(path: String, options: CheckOptions = CheckOptions(), console: Console,
                                   executor: LessonExecutor = LessonExecutor()) -> LessonCheckReport {
        let document: LessonDocument
        do { document = try LessonDocument.load(path: path) } catch {
            console.err("\(error)\n")
            console.annotate(file: path, line: (error as? LessonInputError)?.line ?? 0, message: "\(error)")
            console.out("\(console.verdict("FAIL")) \(path)\n")
            return LessonCheckReport(path: path, title: path, seconds: 0, error: "\(error)", cells: [])
        }
        let result = executor.run(document, reuse: options.cached)
        executor.cache?.enforceCap()
        return report(for: result, update: options.update, console: console, requireOutputBlocks: true)
    }

    /// Compares a finished run with the lesson's output blocks, prints what differs, and
    /// (with `update`) rewrites the blocks. `check` and `watch` report through this, with
    /// `requireOutputBlocks`: a cell that shows something but has no output block fails.
    public static func report(for result: LessonResult, update: Bool, console: Console,
                              requireOutputBlocks: Bool = false) -> LessonCheckReport {
        let document = result.document
        let path = document.path
        reportProblems(result, console: console)
        var cells: [LessonCheckReport.Cell] = []
        for (cell, run) in zip(document.cells, result.runs) {
            var entry = LessonCheckReport.Cell(id: cell.id, line: cell.fenceLine, seconds: run.seconds, outcome: .passed)
            if let headline = run.status.headline(cellID: cell.id) {
                entry.message = headline
                if case .notRun(let reason) = run.status {
                    entry.outcome = .skipped
                    entry.message = reason
                } else {
                    entry.outcome = .failed
                }
                if case .failed(let message) = run.status { entry.details = message }
            } else if !cell.options.nondeterministic, !cell.options.noCheck, !update {
                let actual = OutputText.text(of: run.outputs)
                if let block = cell.output {
                    let comparison = OutputComparison(tolerance: cell.options.tolerance)
                    let outcome = comparison.compare(expected: block.content, actual: actual,
                                                     expectedLabel: "expected (\(path):\(block.lines.lowerBound))",
                                                     actualLabel: "actual")
                    if !outcome.matches {
                        var details = outcome.diff
                        if let d = outcome.largest, d.difference > 0 {
                            details += "\nlargest numeric difference: \(formatDifference(d.difference)) at output line \(d.line) (expected \(d.expected), got \(d.actual))"
                        }
                        let tolerance = cell.options.tolerance.map { "tolerance=\($0)" } ?? "default tolerance \(OutputComparison.defaultRelativeTolerance)"
                        if outcome.largest != nil { details += "; compared with \(tolerance)" }
                        entry.outcome = .failed
                        entry.message = "cell \(cell.id): output differs"
                        entry.details = details
                        console.failure(file: path, line: block.lines.lowerBound, title: entry.message!, details: details)
                    }
                } else if requireOutputBlocks, !actual.isEmpty {
                    entry.outcome = .failed
                    entry.message = "cell \(cell.id): no expected output recorded; run `lessonbook check --update`"
                    entry.details = actual
                    console.failure(file: path, line: cell.fenceLine, title: entry.message!)
                }
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
        var report = LessonCheckReport(path: path, title: document.title, seconds: result.seconds, error: lessonError,
                                       skippedReason: skipped, cells: cells)
        report.executed = result.executedCells.count
        report.reused = result.reusedCells.count
        let verdict = skipped != nil ? "SKIP" : (report.passed ? "PASS" : "FAIL")
        let compared = document.cells.filter { $0.output != nil && !$0.options.nondeterministic && !$0.options.noCheck && !$0.options.skip }.count
        console.out("\(console.verdict(verdict)) \(path) (\(document.cells.count) cells, \(compared) compared, \(RecordingHost.formatSeconds(result.seconds)); \(result.executionSummary))\n")
        return report
    }

    static func formatDifference(_ value: Double) -> String {
        value.isNaN ? "nan" : String(format: "%.6g", value)
    }

    /// Runs `lessonbook check --report-json F LESSON` per lesson, at most `options.jobs` at a time,
    /// relaying each child's output in lesson order as soon as it and the lessons before it
    /// finish (with one job, the child writes to our stdout and stderr directly).
    static func checkInChildren(_ lessons: [String], options: CheckOptions, executable: String, console: Console) -> [LessonCheckReport] {
        let jobs = max(1, options.jobs)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("lessonbook-check-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let files = { (index: Int) -> ChildFiles in
            ChildFiles(json: scratch.appendingPathComponent("\(index).json"), out: scratch.appendingPathComponent("\(index).out"),
                       err: scratch.appendingPathComponent("\(index).err"))
        }
        let live = jobs == 1
        let tracker = ChildTracker(count: lessons.count) { index in
            let f = files(index)
            if let data = FileManager.default.contents(atPath: f.out.path) { console.relay(out: String(decoding: data, as: UTF8.self)) }
            if let data = FileManager.default.contents(atPath: f.err.path) { console.relay(err: String(decoding: data, as: UTF8.self)) }
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
            process.arguments = ["check", "--report-json", f.json.path] + (options.update ? ["--update"] : [])
                + (options.cached ? ["--cached"] : []) + options.cacheArguments + ["--", lesson]
            var environment = ProcessInfo.processInfo.environment
            if live {
                // One at a time: the child writes straight to our stdout and stderr, so its
                // output and heartbeat reach the terminal or the CI log as they happen.
                process.standardOutput = FileHandle.standardOutput
                process.standardError = FileHandle.standardError
            } else {
                environment["LESSONBOOK_PROGRESS"] = "0"
                process.standardOutput = try? FileHandle(forWritingTo: f.out)
                process.standardError = try? FileHandle(forWritingTo: f.err)
            }
            process.environment = environment
            group.enter()
            process.terminationHandler = { child in
                tracker.finish(index, status: (child.terminationStatus, child.terminationReason == .uncaughtSignal))
                slots.signal()
                group.leave()
            }
            do { try process.run() } catch {
                try? "cannot start \(executable): \(error)\n".write(to: f.err, atomically: false, encoding: .utf8)
                tracker.finish(index, status: (-1, false))
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
            let error = "the check process for \(lesson) ended with \(describe(status: statuses[index])) and no report"
            console.failure(file: lesson, line: 0, title: error)
            console.out("\(console.verdict("FAIL")) \(lesson)\n")
            return LessonCheckReport(path: lesson, title: lesson, seconds: 0, error: error + "\n" + stderr, cells: [])
        }
    }
}

/// How a child process ended: `status 1`, or `signal 4 (SIGILL: a trap in a cell)`.
func describe(status: (code: Int32, signaled: Bool)) -> String {
    guard status.signaled else { return "status \(status.code)" }
    let names: [Int32: String] = [SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGSEGV: "SIGSEGV", SIGBUS: "SIGBUS",
                                  SIGKILL: "SIGKILL", SIGFPE: "SIGFPE"]
    return "signal \(status.code)" + (names[status.code].map { " (\($0): the lesson crashed the process)" } ?? "")
}

/// The files a `--jobs` child writes: its JSON report, stdout and stderr.
struct ChildFiles {
    var json: URL, out: URL, err: URL
}

/// Tracks which `--jobs` children finished and relays their output in lesson order.
final class ChildTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var finished: [Bool]
    private var exitStatuses: [(code: Int32, signaled: Bool)]
    private var relayed = 0
    private let relay: (Int) -> Void

    init(count: Int, relay: @escaping (Int) -> Void) {
        finished = Array(repeating: false, count: count)
        exitStatuses = Array(repeating: (0, false), count: count)
        self.relay = relay
    }

    func finish(_ index: Int, status: (code: Int32, signaled: Bool)) {
        lock.lock(); defer { lock.unlock() }
        exitStatuses[index] = status
        finished[index] = true
        while relayed < finished.count, finished[relayed] {
            relay(relayed)
            relayed += 1
        }
    }

    var statuses: [(code: Int32, signaled: Bool)] {
        lock.lock(); defer { lock.unlock() }
        return exitStatuses
    }
}
