/// A syntax or runtime error of a cell, located in the lesson file.
///
/// `description` is the full human form:
/// ```
/// lesson.md:12:13: error: unknown name 'corr2D'; did you mean 'corr2d'?
///     let y = corr2D(x, k)
///             ^~~~~~
///   in f(_:) called at lesson.md:14:1
/// ```
public struct ScriptDiagnostic: Error, CustomStringConvertible {
    public enum Kind: Equatable { case syntax, name, runtime, unsupported }
    public var kind: Kind
    public var message: String
    public var suggestion: String?
    public var location: SourceLocation
    public var sourceLine: String
    /// Innermost first: `in corr2d(_:_:) called at lesson.md:12:5`. Consecutive identical
    /// calls (deep recursion) are kept once, followed by
    /// `[previous line repeated N more times]`, as Python's tracebacks do.
    public var callChain: [String]
    /// How many characters the caret line underlines (at least 1).
    public var length: Int
    /// How many more times the last call line of `callChain` occurred right after itself.
    private var repeatsOfLastCall = 0
    /// Call lines (not counting repeat notes) kept before the chain is cut with `...`.
    static let maximumCallLines = 20

    public init(kind: Kind, message: String, suggestion: String? = nil, location: SourceLocation,
                sourceLine: String, callChain: [String] = [], length: Int = 1) {
        self.kind = kind; self.message = message; self.suggestion = suggestion; self.location = location
        self.sourceLine = sourceLine; self.callChain = callChain; self.length = max(1, length)
    }

    public var description: String {
        var lines = ["\(location): error: \(message)"]
        if !sourceLine.isEmpty {
            lines.append(sourceLine)
            // Keep tabs so that the caret lines up under tab-indented code.
            let indent = sourceLine.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
            let available = max(1, sourceLine.count - (location.column - 1))
            lines.append(indent + "^" + String(repeating: "~", count: max(0, min(length, available) - 1)))
        }
        if let suggestion { lines.append("suggestion: \(suggestion)") }
        lines += callChain.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    /// Appends the next outer call to the chain, folding a call identical to the previous
    /// one into a repeat count so that deep recursion costs two lines, not hundreds.
    mutating func appendCall(_ line: String) {
        let lastCall = repeatsOfLastCall > 0 ? callChain.dropLast().last : callChain.last
        if let lastCall, lastCall == line {
            repeatsOfLastCall += 1
            let note = "[previous line repeated \(repeatsOfLastCall) more time\(repeatsOfLastCall == 1 ? "" : "s")]"
            if repeatsOfLastCall == 1 { callChain.append(note) } else { callChain[callChain.count - 1] = note }
            return
        }
        guard callChain.last != "..." else { return }
        repeatsOfLastCall = 0
        let callLines = callChain.count(where: { !$0.hasPrefix("[previous line repeated ") })
        callChain.append(callLines < ScriptDiagnostic.maximumCallLines ? line : "...")
    }
}

extension ScriptDiagnostic.Kind {
    /// Swift-style word for the kind, used in messages about it.
    var word: String {
        switch self {
        case .syntax: return "syntax"
        case .name: return "name"
        case .runtime: return "runtime"
        case .unsupported: return "unsupported"
        }
    }
}

extension SourceText {
    /// A diagnostic pointing at `range` of this cell.
    func diagnostic(_ kind: ScriptDiagnostic.Kind, _ message: String, at range: SourceRange,
                    suggestion: String? = nil) -> ScriptDiagnostic {
        let start = position(range.start)
        let end = range.end > range.start ? position(range.end) : start
        let length = end.line == start.line ? end.column - start.column : lineText(at: range.start).count - start.column + 1
        return ScriptDiagnostic(kind: kind, message: message, suggestion: suggestion,
                                location: SourceLocation(file: file, line: start.line, column: start.column),
                                sourceLine: lineText(at: range.start), length: length)
    }
}
