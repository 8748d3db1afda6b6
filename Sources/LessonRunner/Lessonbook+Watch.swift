import Foundation

extension Lessonbook {
    /// `lessonbook watch LESSON`: renders the lesson, then polls its modification time; on
    /// every save it runs the lesson again, prints the outputs of the cells whose output
    /// changed, and rewrites `output/NAME.md` and `.html`. Runs until interrupted.
    ///
    /// Each rerun starts from a fresh interpreter (the state cannot be rewound to the first
    /// changed cell without snapshots), so results always equal a full run.
    public static func watch(path: String, output: String = "output", interval: Double = 0.5,
                             console: Console = Console(), iterations: Int? = nil,
                             executor: () -> LessonExecutor = { LessonExecutor() }) throws -> Int32 {
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("no such lesson: \(path)") }
        guard !path.hasSuffix(".swift") else { throw UsageError("watch takes a Markdown lesson; \(path) is a script") }
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let katex = try KaTeXAssets.install(into: folder)
        var previous: [String: String] = [:]
        var lastStamp: Date?
        var rounds = 0
        var status: Int32 = 0
        console.err("watching \(path) (Ctrl-C to stop)\n")
        while iterations.map({ rounds < $0 }) ?? true {
            let stamp = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
            if stamp != lastStamp {
                lastStamp = stamp
                rounds += 1
                status = watchRound(path: path, folder: folder, katex: katex, previous: &previous, console: console, executor: executor())
            } else {
                Thread.sleep(forTimeInterval: interval)
            }
        }
        return status
    }

    static func watchRound(path: String, folder: URL, katex: Bool, previous: inout [String: String], console: Console,
                           executor: LessonExecutor) -> Int32 {
        let document: LessonDocument
        do { document = try LessonDocument.load(path: path) } catch {
            console.err("\(error)\n")
            return 1
        }
        let result = executor.run(document)
        reportProblems(result, console: console)
        var current: [String: String] = [:]
        var changed = 0
        for run in result.runs {
            if case .notRun = run.status { continue }
            let text = OutputText.text(of: run.outputs)
            current[run.id] = text
            if previous[run.id] != text {
                changed += 1
                console.out("── cell \(run.id) ──\n" + (text.isEmpty ? "" : text + "\n"))
            }
        }
        previous = current
        do { try writeArtifacts(result, to: folder, katex: katex) } catch {
            console.err("\(path): cannot write the rendered lesson: \(error)\n")
        }
        console.err("\(statusWord(result.status)) \(path): \(changed) cell output\(changed == 1 ? "" : "s") changed, \(RecordingHost.formatSeconds(result.seconds)); wrote \(folder.path)/\(document.artifactNames.htmlFile)\n")
        return result.status == .failed ? 1 : 0
    }
}
