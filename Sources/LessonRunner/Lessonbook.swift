import Foundation
import LessonScript

/// The commands behind the `lessonbook` executable. Each returns the process exit status:
/// 0 when everything passed, 1 when a lesson failed or differs (or has bad input), 2 for
/// usage errors (thrown as `UsageError`).
public enum Lessonbook {
    /// The lessons named by `paths`: files as given, folders expanded to their `*.md` files in
    /// name order; no paths means every `lessons/*.md` in name order.
    public static func lessonPaths(_ paths: [String]) throws -> [String] {
        let files = FileManager.default
        var result: [String] = []
        for path in paths.isEmpty ? ["lessons"] : paths {
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UsageError(paths.isEmpty ? "no lessons given and there is no lessons/ folder here" : "no such lesson: \(path)")
            }
            if isDirectory.boolValue {
                // A folder's README describes the course; it is not a lesson (as in mdBook).
                let names = try files.contentsOfDirectory(atPath: path)
                    .filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") && $0.lowercased() != "readme.md" }.sorted()
                let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
                result += names.map { "\(folder)/\($0)" }
            } else {
                result.append(path)
            }
        }
        var seen = Set<String>()
        result = result.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
        // A mistyped folder in CI must not pass by checking nothing.
        if result.isEmpty { throw UsageError("no lessons found in \(paths.isEmpty ? "lessons" : paths.joined(separator: ", "))") }
        return result
    }

    /// The K-th of N deterministic parts of `lessons` (1-based): every N-th lesson in order,
    /// starting with the K-th, so the parts are disjoint, cover the list and stay balanced.
    public static func lessons(_ lessons: [String], inShard shard: Shard?) -> [String] {
        guard let shard else { return lessons }
        return lessons.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }

    /// `--shard K/N`.
    public struct Shard: Equatable {
        public var index: Int, count: Int
        public init(index: Int, count: Int) { self.index = index; self.count = count }
        /// Parses `K/N` with 1 ≤ K ≤ N.
        public init(parsing text: String) throws {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
                throw UsageError("--shard takes K/N with 1 ≤ K ≤ N, got '\(text)'")
            }
            index = k; count = n
        }
    }

    /// Fails with a usage error (before anything runs) when a file cannot be written there.
    public static func ensureWritable(file path: String, option: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue, access(url.path, W_OK) == 0 else { throw UsageError("\(option) \(path): cannot write this file") }
            return
        }
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
              access(folder, W_OK) == 0 else {
            throw UsageError("\(option) \(path): cannot write into \(folder)")
        }
    }

    /// Creates the output folder, or fails with a usage error before anything runs.
    public static func ensureOutputFolder(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw UsageError("-o \(path): cannot create the output folder")
        }
        guard access(url.path, W_OK) == 0 else { throw UsageError("-o \(path): cannot write into the output folder") }
        return url
    }

    /// Loads a lesson, or a `.swift` file as a one-cell lesson.
    public static func loadDocument(path: String) throws -> LessonDocument {
        if path.hasSuffix(".swift") {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw LessonInputError(file: path, line: 0, message: "cannot read script")
            }
            return LessonDocument(script: text, path: path)
        }
        return try LessonDocument.load(path: path)
    }

    /// The cell `selector` names: its id, else its 1-based number.
    public static func cell(_ selector: String, in document: LessonDocument) throws -> LessonDocument.Cell {
        if let cell = document.cells.first(where: { $0.id == selector }) { return cell }
        if let number = Int(selector), let cell = document.cells.first(where: { $0.number == number }) { return cell }
        let known = document.cells.map(\.id).joined(separator: ", ")
        throw UsageError("\(document.path) has no cell '\(selector)' (cells: \(known.isEmpty ? "none" : known))")
    }

    /// Prints a lesson's warnings and its failed cells' diagnostics on stderr.
    static func reportProblems(_ result: LessonResult, console: Console) {
        for warning in result.document.warnings { console.err("\(warning)\n") }
        if case .skipped(let reason) = result.status {
            console.err("\(result.document.path): skipped: \(reason)\n")
            console.annotate("warning", file: result.document.path, line: 1, message: "skipped: \(reason)")
        }
        for run in result.runs where run.status.failsLesson {
            guard let title = run.status.headline(cellID: run.id) else { continue }
            var details: String?
            if case .failed(let message) = run.status { details = message }
            console.failure(file: result.document.path, line: run.line, title: title, details: details)
        }
    }
}

extension LessonDocument {
    /// A Swift script as a lesson of one cell whose code is the whole file (line 1 is line 1).
    public init(script: String, path: String) {
        self.path = path
        lines = script.linesSplitAtNewline
        frontMatter = FrontMatter()
        warnings = []
        var source = script
        if source.hasSuffix("\n") { source.removeLast() }
        let cell = Cell(number: 1, id: "1", options: CellOptions(), source: source,
                        codeLines: 0..<(lines.count + 1), output: nil)
        segments = [.cell(cell)]
    }
}
