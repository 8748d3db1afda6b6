import Foundation

extension Lessonbook {
    /// `lessonbook watch LESSON`: renders the lesson, then polls its modification time; on
    /// every save it runs the lesson through the executor (which executes only the cells from
    /// the first changed one, taking the others from their records), reports exactly what
    /// `check` reports for the file, prints the outputs that changed, and rewrites
    /// `output/NAME.md` and `.html`. Runs until interrupted (or for `iterations` rounds, in tests).
    public static func watch(path: String, output: String = "output", interval: Double = 0.5,
                             console: Console = Console(), iterations: Int? = nil,
                             executor: @escaping () -> LessonExecutor = { LessonExecutor() }) throws -> Int32 {
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("no such lesson: \(path)") }
        guard !path.hasSuffix(".swift") else { throw UsageError("watch takes a Markdown lesson; \(path) is a script") }
        try checkOutputNames(lessons: [path], output: output)
        let folder = try ensureOutputFolder(output)
        let katex = try KaTeXAssets.install(into: folder)
        let session = WatchSession()
        var lastStamp: Date?
        var rounds = 0
        var status: Int32 = 0
        console.err("watching \(path) (Ctrl-C to stop)\n")
        while iterations.map({ rounds < $0 }) ?? true {
            let stamp = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            if stamp != lastStamp {
                lastStamp = stamp
                rounds += 1
                status = watchRound(path: path, folder: folder, katex: katex, session: session, executor: executor(), console: console)
            } else {
                Thread.sleep(forTimeInterval: interval)
            }
        }
        return status
    }

    /// One save: runs the lesson, reports as `check` does, prints what changed, rewrites the page.
    static func watchRound(path: String, folder: URL, katex: Bool, session: WatchSession, executor: LessonExecutor,
                           console: Console) -> Int32 {
        let document: LessonDocument
        do { document = try LessonDocument.load(path: path) } catch {
            console.err("\(error)\n")
            return 1
        }
        let result = executor.run(document, reuse: true)
        let report = report(for: result, update: false, console: console, requireOutputBlocks: true)
        session.lastResult = result
        session.lastReport = report
        let changed = session.showChangedOutputs(result, console: console)
        do { try publish(result, to: folder, executor: executor, katex: katex) } catch {
            console.err("\(path): cannot write the rendered lesson: \(error)\n")
        }
        executor.cache?.enforceCap()
        console.err("\(path): \(changed) cell output\(changed == 1 ? "" : "s") changed; wrote \(folder.path)/\(document.artifactNames.htmlFile)\n")
        return report.passed ? 0 : 1
    }
}

/// What `watch` remembers between saves: the output it showed last for each cell, so that it
/// prints only what changed.
final class WatchSession {
    private var shown: [String: String] = [:]
    /// The latest round's result and report.
    var lastResult: LessonResult?
    var lastReport: LessonCheckReport?

    /// Prints, on stdout, the output of every cell whose output differs from what was shown
    /// for it last. Returns how many were printed.
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
