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
        return result.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
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
        if case .skipped(let reason) = result.status { console.err("\(result.document.path): skipped: \(reason)\n") }
        for run in result.runs {
            switch run.status {
            case .failed(let message):
                console.failure(file: result.document.path, line: run.line, title: "cell \(run.id): failed", details: message)
            case .timedOut(let seconds):
                console.failure(file: result.document.path, line: run.line,
                                title: "cell \(run.id): timed out: \(CellTimeout(seconds: seconds))")
            case .unexpectedSuccess:
                console.failure(file: result.document.path, line: run.line,
                                title: "cell \(run.id): expected an error (expect-error), but the cell ran without one")
            case .succeeded, .notRun:
                break
            }
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
