import Foundation
import LessonScript

/// The state behind `lessonbook serve`: the course's lessons, the output folder the pages are
/// written to, and one long-lived executor over the cell cache. Every execution — a change on
/// disk, Run, Save — goes through `LessonExecutor` and `Lessonbook.publish` on one serial queue,
/// so two tabs on a lesson see the same records, and pages are served while a cell runs.
public final class PreviewSession {
    public let lessons: [String]
    public let folder: URL
    let site: CourseSite
    let cache: CellCache?
    let console: Console
    /// The one host of every run: Stop asks it to end the running cell.
    let host = RecordingHost()
    private let queue = DispatchQueue(label: "lessonbook.serve.execute")
    private let lock = NSLock()
    private var subscribers: [UUID: (String) -> Void] = [:]
    private var stamps: [String: Date] = [:]
    private var katex = false

    public init(lessons: [String], output: URL, cache: CellCache?, console: Console = Console()) {
        self.lessons = lessons
        self.folder = output
        self.site = CourseSite(lessonPaths: lessons)
        self.cache = cache
        self.console = console
    }

    /// A new executor over the session's host and cache. It stores the state after every cell,
    /// so that rerunning an edited cell resumes right before it.
    func executor() -> LessonExecutor {
        let executor = LessonExecutor(host: host, cache: cache)
        executor.snapshotWorth = 0
        return executor
    }

    /// Renders the whole course, as `render` does, and remembers the files' times.
    public func renderAll() throws {
        stamps = watchedStamps()
        _ = try onQueueWaiting {
            try Lessonbook.render(paths: self.lessons, output: self.folder.path, console: self.console, executor: { self.executor() })
        }
        katex = FileManager.default.fileExists(atPath: folder.appendingPathComponent("katex").path)
    }

    /// The lesson whose page is `page` (a file name in the output folder).
    func lesson(forPage page: String) -> String? {
        lessons.first { ArtifactNames(lessonPath: $0).htmlFile == page }
    }

    // MARK: - Live preview

    /// Calls `send` with a page's name each time it was written again; returns the id to unsubscribe.
    func subscribe(_ send: @escaping (String) -> Void) -> UUID {
        let id = UUID()
        lock.lock(); subscribers[id] = send; lock.unlock()
        return id
    }

    func unsubscribe(_ id: UUID) {
        lock.lock(); subscribers[id] = nil; lock.unlock()
    }

    private func announce(_ page: String) {
        lock.lock(); let all = Array(subscribers.values); lock.unlock()
        for send in all { send(page) }
    }

    /// Modification times of the lessons and every other file in their folders (assets and
    /// the course's README), hidden files and folders left out.
    func watchedStamps() -> [String: Date] {
        var stamps: [String: Date] = [:]
        let folders = Set(lessons.map { URL(fileURLWithPath: $0).deletingLastPathComponent().standardizedFileURL.path })
        for folder in folders {
            guard let walk = FileManager.default.enumerator(at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.contentModificationDateKey],
                                                            options: [.skipsHiddenFiles]) else { continue }
            for case let url as URL in walk {
                if let date = try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate { stamps[url.standardizedFileURL.path] = date }
            }
        }
        for lesson in lessons {
            let path = URL(fileURLWithPath: lesson).standardizedFileURL.path
            stamps[path] = (try? FileManager.default.attributesOfItem(atPath: lesson))?[.modificationDate] as? Date
        }
        return stamps
    }

    /// One look at the disk: a changed lesson is run again from its first changed cell and its
    /// page rewritten; any other changed file re-renders the course. Open pages are told.
    public func poll() {
        let now = watchedStamps()
        let changed = Set(now.keys.filter { now[$0] != stamps[$0] }).union(stamps.keys.filter { now[$0] == nil })
        stamps = now
        guard !changed.isEmpty else { return }
        let byPath = Dictionary(lessons.map { (URL(fileURLWithPath: $0).standardizedFileURL.path, $0) }, uniquingKeysWith: { a, _ in a })
        let changedLessons = changed.compactMap { byPath[$0] }
        if changedLessons.count < changed.count {
            try? renderAll()
            for lesson in lessons { announce(ArtifactNames(lessonPath: lesson).htmlFile) }
            return
        }
        for lesson in changedLessons.sorted() {
            _ = try? onQueueWaiting { self.rerender(lesson) }
            announce(ArtifactNames(lessonPath: lesson).htmlFile)
        }
    }

    /// Polls every `interval` seconds until the task is cancelled.
    public func watch(interval: Double = 0.2) async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async { self.poll(); done.resume() }
            }
        }
    }

    /// Runs a lesson through the executor and writes its page; prints one line.
    private func rerender(_ path: String) {
        let document: LessonDocument
        do { document = try LessonDocument.load(path: path) } catch {
            console.err("\(error)\n")
            return
        }
        let executor = executor()
        let result = executor.run(document, reuse: true)
        do { try Lessonbook.publish(result, to: folder, executor: executor, katex: katex, site: site) } catch {
            console.err("\(path): cannot write the rendered lesson: \(error)\n")
        }
        executor.cache?.enforceCap()
        console.out("\(console.verdict(result.status)) \(path): \(result.executedCells.count) cell\(result.executedCells.count == 1 ? "" : "s") ran in \(RecordingHost.formatSeconds(result.seconds)) (\(result.executionSummary))\n")
    }

    // MARK: - Edit, Run, Save

    /// What the page needs to edit a lesson: its cells' sources and a hash of the file as read.
    func lessonInfo(page: String) throws -> [String: Any] {
        guard let path = lesson(forPage: page) else { throw PreviewError.notFound }
        let document = try LessonDocument.load(path: path)
        let cells: [[String: Any]] = document.cells.map {
            ["number": $0.number, "id": $0.id, "anchor": "cell-" + ArtifactNames.sanitize($0.id, fallback: "cell"), "source": $0.source]
        }
        return ["page": page, "lesson": path, "hash": Self.hash(document.text), "cells": cells]
    }

    /// Runs the lesson with cell `number`'s code replaced, up to that cell: earlier cells come
    /// from their records and the stored state before the cell. Nothing is written to the lesson.
    func run(page: String, cell number: Int, source: String) async throws -> [String: Any] {
        guard let path = lesson(forPage: page) else { throw PreviewError.notFound }
        let edited = try LessonDocument.load(path: path).replacingSource(ofCell: number, with: source)
        let result = try await onQueue { self.executor().run(edited, lastCell: number, reuse: true) }
        return Self.describe(result, cell: number)
    }

    /// Writes an edited cell and its new output block into the lesson, as `check --update`
    /// does, unless the file changed since the page read it (`hash`).
    func save(page: String, cell number: Int, source: String, hash: String) async throws -> [String: Any] {
        guard let path = lesson(forPage: page) else { throw PreviewError.notFound }
        let onDisk = try LessonDocument.load(path: path)
        guard Self.hash(onDisk.text) == hash else { throw PreviewError.changedOnDisk(path) }
        let edited = try onDisk.replacingSource(ofCell: number, with: source)
        let result = try await onQueue { self.executor().run(edited, lastCell: number, reuse: true) }
        do {
            try LessonUpdater.update(document: edited, runs: result.runs, onDisk: onDisk)
        } catch is LessonInputError {
            throw PreviewError.changedOnDisk(path)
        }
        var reply = Self.describe(result, cell: number)
        reply["hash"] = Self.hash(try LessonDocument.load(path: path).text)
        return reply
    }

    /// Asks the running cell to stop (it ends as a failed cell, with `CellStopped`'s words).
    func stop() { host.requestStop() }

    static func describe(_ result: LessonResult, cell number: Int) -> [String: Any] {
        let run = result.runs[number - 1]
        var reply: [String: Any] = ["cell": number, "output": OutputText.text(of: run.outputs),
                                    "executed": result.executedCells.count, "executedCells": result.executedCells,
                                    "reused": result.reusedCells.count, "seconds": run.seconds]
        // The machine-readable kind for the page's script; the words from the one wording of a cell's ending.
        switch run.status {
        case .succeeded: reply["status"] = "passed"
        case .notRun: reply["status"] = "not run"
        case .failed, .timedOut, .unexpectedSuccess: reply["status"] = "failed"
        }
        if let wording = run.status.readerWording { reply["error"] = wording.text }
        if let earlier = result.runs.prefix(number - 1).first(where: { $0.status.failsLesson }) {
            reply["status"] = "failed"; reply["error"] = "an earlier cell (\(earlier.id)) failed"
        }
        return reply
    }

    /// The lesson's `ContentHash`: enough to notice that the file changed since the page read it.
    static func hash(_ text: String) -> String {
        var hash = ContentHash()
        hash.add(text)
        return hash.hex
    }

    /// Runs `body` on the execution queue without holding a thread of Swift's pool meanwhile.
    private func onQueue<T>(_ body: @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            queue.async { done.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body` on the execution queue and waits (outside Swift's pool only).
    private func onQueueWaiting<T>(_ body: @escaping () throws -> T) throws -> T {
        var outcome: Result<T, Error>!
        queue.sync { outcome = Result { try body() } }
        return try outcome.get()
    }
}

enum PreviewError: Error, CustomStringConvertible {
    case notFound
    case changedOnDisk(String)
    var description: String {
        switch self {
        case .notFound: return "no such lesson"
        case .changedOnDisk(let path): return "\(path) changed on disk since the page was loaded; nothing was written. Reload the page to see the file as it is now."
        }
    }
}
