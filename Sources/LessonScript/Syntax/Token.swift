/// A range of a cell's source, as UTF-8 byte offsets (`end` exclusive).
public struct SourceRange: Equatable, Hashable {
    public var start: Int
    public var end: Int
    public init(start: Int, end: Int) { self.start = start; self.end = end }
    /// The range covering both.
    func to(_ other: SourceRange) -> SourceRange { SourceRange(start: min(start, other.start), end: max(end, other.end)) }
}

/// The kind of a lexical token.
public enum TokenKind: Equatable {
    case identifier, keyword, integer, float, string, punctuation, endOfFile
}

/// A piece of a string literal: literal text or the tokens of an `\( ... )` interpolation.
public enum StringSegment {
    case text(String)
    case interpolation([Token], SourceRange)
}

/// One token of a cell.
public struct Token {
    public var kind: TokenKind
    /// The token's text (for strings: the raw source including quotes).
    public var text: String
    public var range: SourceRange
    /// The token starts a new line (Swift ends statements at line breaks).
    public var newlineBefore = false
    /// Whitespace (or a comment) precedes / follows the token: decides prefix versus
    /// binary versus postfix operators, as in Swift.
    public var spaceBefore = false
    public var spaceAfter = false
    /// Segments of a string literal.
    public var segments: [StringSegment] = []
    /// Value of an integer literal.
    public var intValue = 0
    /// Value of a floating literal.
    public var doubleValue = 0.0

    func isPunctuation(_ s: String) -> Bool { kind == .punctuation && text == s }
    func isKeyword(_ s: String) -> Bool { kind == .keyword && text == s }
}

/// An error found by the lexer, parser or resolver, located in the cell.
struct SyntaxIssue: Error {
    var kind: ScriptDiagnostic.Kind
    var message: String
    var range: SourceRange
    var suggestion: String?
    init(_ kind: ScriptDiagnostic.Kind, _ message: String, at range: SourceRange, suggestion: String? = nil) {
        self.kind = kind; self.message = message; self.range = range; self.suggestion = suggestion
    }
}

/// Swift's reserved words that the language gives a meaning to or rejects clearly.
let swiftKeywords: Set<String> = [
    "let", "var", "func", "return", "if", "else", "guard", "while", "repeat", "for", "in", "where",
    "break", "continue", "struct", "class", "init", "self", "Self", "super", "import", "true", "false", "nil",
    "static", "private", "public", "fileprivate", "internal", "inout", "as", "is", "protocol", "extension",
    "enum", "typealias", "switch", "case", "default", "defer", "do", "catch", "try", "throw", "throws",
    "rethrows", "operator", "subscript", "associatedtype", "fallthrough", "deinit", "precedencegroup",
]

/// Declaration modifiers accepted and ignored (contextual words, so still usable as names).
let ignoredModifiers: Set<String> = ["final", "override", "open", "required", "convenience", "nonisolated", "lazy"]
