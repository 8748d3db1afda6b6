import Foundation

/// The words after `swift` in a cell's info string: ```` ```swift id=edges hide ````.
public struct CellOptions: Equatable {
    /// A stable name for the cell; nil means it is numbered.
    public var id: String?
    /// Run, but leave the code out of the rendered page.
    public var hide = false
    /// Neither run nor checked.
    public var skip = false
    /// The cell must fail; its error text is its output.
    public var expectError = false
    /// Seconds this cell may run; nil means the lesson's timeout.
    public var timeout: Double?
    /// Relative tolerance for the numbers in its output; nil means the default.
    public var tolerance: Double?
    /// Run and render, never compared.
    public var nondeterministic = false
    /// Run and render, never compared, and `check` does not ask for an output block.
    public var noCheck = false

    /// Rendered with its code folded under a "Show code" disclosure (the output stays in view).
    public var fold = false
    /// An exercise answer: code and output rendered folded under "Show solution".
    public var solution = false
    /// Run and checked, but its output left out of the rendered page.
    public var hideOutput = false

    /// Every option, as written, for error messages and help.
    public static let valid = ["id=NAME", "hide", "skip", "expect-error", "timeout=SECONDS", "tolerance=REL", "nondeterministic", "no-check", "fold", "solution", "hide-output"]

    public init() {}

    /// Parses the option words (the info string without its leading `swift`). `line` is the
    /// fence's line, for errors.
    public init(words: [Substring], file: String, line: Int) throws {
        func fail(_ message: String) -> LessonInputError {
            LessonInputError(file: file, line: line, message: message)
        }
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : nil
            switch (name, value) {
            case ("id", let v?):
                guard !v.isEmpty else { throw fail("cell option 'id=' needs a name") }
                guard v.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }) else {
                    throw fail("cell id '\(v)' may only contain letters, digits, '-', '_' and '.'")
                }
                id = v
            case ("hide", nil): hide = true
            case ("skip", nil): skip = true
            case ("expect-error", nil): expectError = true
            case ("nondeterministic", nil): nondeterministic = true
            case ("no-check", nil): noCheck = true
            case ("fold", nil): fold = true
            case ("solution", nil): solution = true
            case ("hide-output", nil): hideOutput = true
            case ("timeout", let v?):
                guard let seconds = Double(v), seconds > 0, seconds.isFinite else {
                    throw fail("cell option 'timeout=' needs a positive number of seconds, got '\(v)'")
                }
                timeout = seconds
            case ("tolerance", let v?):
                guard let rel = Double(v), rel >= 0, rel.isFinite else {
                    throw fail("cell option 'tolerance=' needs a non-negative number, got '\(v)'")
                }
                tolerance = rel
            default:
                throw fail("unknown cell option '\(word)'; valid options: \(CellOptions.valid.joined(separator: ", "))")
            }
        }
    }

    /// The option words, in a canonical order (for tests and messages).
    public var words: [String] {
        var out: [String] = []
        if let id { out.append("id=\(id)") }
        if hide { out.append("hide") }
        if skip { out.append("skip") }
        if expectError { out.append("expect-error") }
        if let timeout { out.append("timeout=\(timeout)") }
        if let tolerance { out.append("tolerance=\(tolerance)") }
        if nondeterministic { out.append("nondeterministic") }
        if noCheck { out.append("no-check") }
        if fold { out.append("fold") }
        if solution { out.append("solution") }
        if hideOutput { out.append("hide-output") }
        return out
    }
}
