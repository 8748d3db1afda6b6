import Foundation

/// The optional `---` … `---` block at the top of a lesson: simple `key: value` lines.
///
///     ---
///     title: Cross-correlation
///     seed: 0
///     timeout: 120
///     memory: 2 GiB
///     requires: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
///     ---
public struct FrontMatter: Equatable {
    /// The page title; when absent, the lesson's first `#` heading or its file name.
    public var title: String?
    /// The engine is seeded with this before the first cell.
    public var seed: Int = 0
    /// Seconds each cell may run before it is stopped.
    public var timeout: Double = 120
    /// The most bytes the lesson's live tensors may hold together (`memory: 2 GiB`); nil keeps
    /// the engine's default (`EngineLimits.memoryBudgetBytes`, half the physical memory).
    public var memoryBudget: Int?
    /// In the course's `README.md` only: the most bytes the cell cache may hold (`cache-size: 2 GiB`).
    public var cacheSize: Int?
    /// One sentence on what the lesson covers, for the course's home page.
    public var description: String?
    /// Files the lesson needs; a missing one makes the lesson skipped, not failed.
    public var requires: [String] = []

    /// The keys this block understands.
    public static let knownKeys = ["title", "description", "seed", "timeout", "memory", "requires", "cache-size"]

    public init(title: String? = nil, seed: Int = 0, timeout: Double = 120, requires: [String] = []) {
        self.title = title; self.seed = seed; self.timeout = timeout; self.requires = requires
    }

    /// Finds and parses the front matter at the top of `lines`. Returns nil when the first line
    /// is not `---`. `lineCount` is how many lines the block spans, fences included.
    static func parse(lines: [Substring], file: String) throws -> (FrontMatter, lineCount: Int, warnings: [LessonWarning])? {
        guard let first = lines.first, trimmed(first) == "---" else { return nil }
        guard let closeIndex = lines.indices.dropFirst().first(where: { trimmed(lines[$0]) == "---" || trimmed(lines[$0]) == "..." }) else {
            throw LessonInputError(file: file, line: 1, message: "front matter opened with '---' is never closed")
        }
        var matter = FrontMatter()
        var warnings: [LessonWarning] = []
        var index = 1
        while index < closeIndex {
            let lineNumber = index + 1
            let text = trimmed(lines[index])
            index += 1
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard let colon = text.firstIndex(of: ":") else {
                throw LessonInputError(file: file, line: lineNumber, message: "front matter line is not 'key: value': '\(text)'")
            }
            let key = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = unquote(withoutComment(text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            switch key {
            case "title":
                matter.title = value
            case "description":
                matter.description = value
            case "seed":
                guard let seed = Int(value) else {
                    throw LessonInputError(file: file, line: lineNumber, message: "seed must be an integer, got '\(value)'")
                }
                matter.seed = seed
            case "timeout":
                guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                    throw LessonInputError(file: file, line: lineNumber, message: "timeout must be a positive number of seconds, got '\(value)'")
                }
                matter.timeout = seconds
            case "memory":
                guard let bytes = ByteSize.parse(value), bytes > 0 else {
                    throw LessonInputError(file: file, line: lineNumber,
                                           message: "memory must be a positive size such as 512 MiB or 2 GiB, got '\(value)'")
                }
                matter.memoryBudget = bytes
            case "cache-size":
                guard let bytes = ByteSize.parse(value) else {
                    throw LessonInputError(file: file, line: lineNumber, message: "cache-size must be a size such as 500 MB or 2 GiB, got '\(value)'")
                }
                matter.cacheSize = bytes
            case "requires":
                if value.isEmpty {
                    // A YAML-style list on the following lines: `  - path`.
                    while index < closeIndex, trimmed(lines[index]).hasPrefix("- ") {
                        matter.requires.append(unquote(withoutComment(String(trimmed(lines[index]).dropFirst(2)).trimmingCharacters(in: .whitespaces))))
                        index += 1
                    }
                } else {
                    var list = value
                    if list.hasPrefix("["), list.hasSuffix("]") { list = String(list.dropFirst().dropLast()) }
                    matter.requires += list.split(separator: ",").map { unquote($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
                }
            default:
                warnings.append(LessonWarning(file: file, line: lineNumber,
                    message: "unknown front matter key '\(key)' (known: \(knownKeys.joined(separator: ", ")))"))
            }
        }
        return (matter, closeIndex + 1, warnings)
    }

    /// The first requirement that does not exist, looked up as given, then next to the lesson.
    public func missingRequirement(lessonFolder: URL) -> String? {
        requires.first { !FileManager.default.fileExists(atPath: FrontMatter.resolve($0, lessonFolder: lessonFolder)) }
    }

    /// Where a requirement is: as given (with `~` expanded) when that exists or is absolute,
    /// else next to the lesson.
    static func resolve(_ requirement: String, lessonFolder: URL) -> String {
        let path = (requirement as NSString).expandingTildeInPath
        if path.hasPrefix("/") || FileManager.default.fileExists(atPath: path) { return path }
        return lessonFolder.appendingPathComponent(path).path
    }

    private static func trimmed(_ line: Substring) -> String {
        line.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The value without a YAML comment: ` #` and what follows, unless the value is quoted.
    private static func withoutComment(_ value: String) -> String {
        guard let first = value.first, first != "\"", first != "'" else { return value }
        if value.hasPrefix("#") { return "" }
        guard let start = value.range(of: " #") ?? value.range(of: "\t#") else { return value }
        return value[..<start.lowerBound].trimmingCharacters(in: .whitespaces)
    }

    private static func unquote(_ value: String) -> String {
        if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
            return String(value.dropFirst().dropLast())
        }
        return value
    }
}
