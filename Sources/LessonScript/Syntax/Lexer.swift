/// Turns a cell's source into tokens.
///
/// The lexer never stops at a problem: it records an issue and goes on, so that syntax
/// highlighting works on any text. The parser reports the first recorded issue.
public struct Lexer {
    let bytes: [UInt8]
    var position = 0
    private(set) var issues: [SyntaxIssue] = []
    /// How many `\(` interpolations enclose the current position. Each level lexes
    /// recursively and keeps its string's whole text, so the depth is capped: past
    /// `Parser.maximumDepth` the rest of the text is skipped with an issue, which keeps time,
    /// memory and stack linear in the text.
    private var interpolationDepth = 0

    public init(_ source: String) { bytes = Array(source.utf8) }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// All tokens of the source, ending with `.endOfFile`.
    mutating func tokenize() -> [Token] {
        var tokens = lexTokens(insideInterpolation: false)
        markSpaceAfter(&tokens)
        return tokens
    }

    private func markSpaceAfter(_ tokens: inout [Token]) {
        for i in tokens.indices.dropLast() {
            tokens[i].spaceAfter = tokens[i + 1].spaceBefore || tokens[i + 1].newlineBefore
                || tokens[i + 1].kind == .endOfFile
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8 {
        let i = position + offset
        return i < bytes.count ? bytes[i] : 0
    }

    private mutating func issue(_ message: String, _ start: Int, _ end: Int) {
        issues.append(SyntaxIssue(.syntax, message, at: SourceRange(start: start, end: max(end, start + 1))))
    }

    /// Lexes until the end, or (inside `\( )`) until the `)` that closes the interpolation.
    private mutating func lexTokens(insideInterpolation: Bool) -> [Token] {
        var tokens: [Token] = []
        var newline = false
        var space = false
        var depth = 0
        while true {
            // Whitespace and comments.
            let c = peek()
            if position >= bytes.count {
                if insideInterpolation { issue("unterminated string interpolation; expected ')'", position, position) }
                break
            }
            if c == 10 || c == 13 { newline = true; space = true; position += 1; continue }
            if c == 32 || c == 9 || c == 11 || c == 12 { space = true; position += 1; continue }
            if c == 47 /* / */ && peek(1) == 47 {
                while position < bytes.count && bytes[position] != 10 { position += 1 }
                space = true
                continue
            }
            if c == 47 && peek(1) == 42 /* * */ {
                skipBlockComment()
                space = true
                continue
            }
            if insideInterpolation {
                if c == 40 { depth += 1 }
                if c == 41 {
                    if depth == 0 { break }
                    depth -= 1
                }
            }
            var token = lexToken()
            token.newlineBefore = newline || (tokens.isEmpty && !insideInterpolation)
            token.spaceBefore = space
            newline = false
            space = false
            tokens.append(token)
        }
        var end = Token(kind: .endOfFile, text: "", range: SourceRange(start: position, end: position))
        end.newlineBefore = true
        end.spaceBefore = true
        tokens.append(end)
        return tokens
    }

    private mutating func skipBlockComment() {
        let start = position
        position += 2
        var depth = 1
        while position < bytes.count {
            if peek() == 47 && peek(1) == 42 { depth += 1; position += 2; continue }
            if peek() == 42 && peek(1) == 47 {
                depth -= 1; position += 2
                if depth == 0 { return }
                continue
            }
            position += 1
        }
        issue("unterminated '/*' comment", start, start + 2)
    }

    private static func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c >= 0x80
    }

    private static func isIdentifierBody(_ c: UInt8) -> Bool { isIdentifierStart(c) || (c >= 48 && c <= 57) }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static let operatorTable: [String] = [
        "...", "..<", "===", "!==", "==", "!=", "<=", ">=", "&&", "||", "??", "->", "+=", "-=", "*=", "/=",
        "%=", "<<", ">>", "&+", "&-", "&*",
    ]

    private mutating func lexToken() -> Token {
        let start = position
        let c = peek()
        if Lexer.isIdentifierStart(c) {
            while position < bytes.count && Lexer.isIdentifierBody(bytes[position]) { position += 1 }
            let word = text(start, position)
            return Token(kind: swiftKeywords.contains(word) ? .keyword : .identifier, text: word,
                         range: SourceRange(start: start, end: position))
        }
        if c == 36 /* $ */ {
            position += 1
            while position < bytes.count && Lexer.isIdentifierBody(bytes[position]) { position += 1 }
            return Token(kind: .identifier, text: text(start, position), range: SourceRange(start: start, end: position))
        }
        if c == 96 /* ` */ {
            position += 1
            let nameStart = position
            while position < bytes.count && bytes[position] != 96 && bytes[position] != 10 { position += 1 }
            let name = text(nameStart, position)
            if peek() == 96 { position += 1 } else { issue("unterminated '`' identifier", start, position) }
            return Token(kind: .identifier, text: name, range: SourceRange(start: start, end: position))
        }
        if c >= 48 && c <= 57 { return lexNumber() }
        if c == 34 /* " */ { return lexString() }
        if c == 35 /* # */ && peek(1) == 34 {
            position += 1
            issue("raw strings (#\"...\"#) are not supported in lesson cells", start, position)
            return lexString()
        }
        for op in Lexer.operatorTable {
            let u = Array(op.utf8)
            if position + u.count <= bytes.count && Array(bytes[position..<position + u.count]) == u {
                position += u.count
                return Token(kind: .punctuation, text: op, range: SourceRange(start: start, end: position))
            }
        }
        position += 1
        let single = text(start, position)
        if !"+-*/%=<>!&|^~?.,:;()[]{}@#\\".utf8.contains(c) {
            issue("unexpected character '\(single)'", start, position)
        }
        return Token(kind: .punctuation, text: single, range: SourceRange(start: start, end: position))
    }

    private mutating func lexNumber() -> Token {
        let start = position
        var isFloat = false
        var radix = 10
        if peek() == 48 && (peek(1) == 120 || peek(1) == 98 || peek(1) == 111) { // 0x 0b 0o
            radix = peek(1) == 120 ? 16 : (peek(1) == 98 ? 2 : 8)
            position += 2
            while position < bytes.count && (Lexer.isIdentifierBody(bytes[position])) { position += 1 }
        } else {
            while position < bytes.count && ((bytes[position] >= 48 && bytes[position] <= 57) || bytes[position] == 95) { position += 1 }
            if peek() == 46 && peek(1) >= 48 && peek(1) <= 57 {
                isFloat = true
                position += 1
                while position < bytes.count && ((bytes[position] >= 48 && bytes[position] <= 57) || bytes[position] == 95) { position += 1 }
            }
            if peek() == 101 || peek(0) == 69 { // e E
                let save = position
                position += 1
                if peek() == 43 || peek() == 45 { position += 1 }
                if peek() >= 48 && peek() <= 57 {
                    isFloat = true
                    while position < bytes.count && bytes[position] >= 48 && bytes[position] <= 57 { position += 1 }
                } else {
                    position = save
                }
            }
            // An identifier glued to a number (`3x`) is an error, as in Swift.
            if position < bytes.count && Lexer.isIdentifierStart(bytes[position]) {
                let s = position
                while position < bytes.count && Lexer.isIdentifierBody(bytes[position]) { position += 1 }
                issue("'\(text(s, position))' is not a valid digit in a number literal", s, position)
            }
        }
        let raw = text(start, position)
        var token = Token(kind: isFloat ? .float : .integer, text: raw, range: SourceRange(start: start, end: position))
        let digits = raw.replacingOccurrences(of: "_", with: "")
        if isFloat {
            token.doubleValue = Double(digits) ?? 0
        } else if let v = Int(radix == 10 ? digits : String(digits.dropFirst(2)), radix: radix) {
            token.intValue = v
        } else {
            issue("integer literal '\(raw)' is not a valid Int (out of range or bad digits)", start, position)
        }
        return token
    }

    private mutating func lexString() -> Token {
        let start = position
        let multiline = peek(1) == 34 && peek(2) == 34
        position += multiline ? 3 : 1
        if multiline {
            // The content starts on the line after the opening quotes.
            while position < bytes.count && (bytes[position] == 32 || bytes[position] == 9) { position += 1 }
            if peek() == 10 { position += 1 } else if position < bytes.count {
                issue("multi-line string literal content must begin on a new line", position, position + 1)
            }
        }
        var segments: [StringSegment] = []
        var current: [UInt8] = []
        var closed = false
        while position < bytes.count {
            let c = bytes[position]
            if c == 34 {
                if !multiline { position += 1; closed = true; break }
                if peek(1) == 34 && peek(2) == 34 { position += 3; closed = true; break }
            }
            if c == 10 && !multiline { break }
            if c == 92 /* \ */ {
                let escStart = position
                position += 1
                let e = peek()
                // A backslash at the very end of the text escapes nothing: stay inside the text.
                if position < bytes.count { position += 1 }
                switch e {
                case 110: current.append(10)
                case 116: current.append(9)
                case 114: current.append(13)
                case 48: current.append(0)
                case 92: current.append(92)
                case 34: current.append(34)
                case 39: current.append(39)
                case 10 where multiline: break // line continuation
                case 117: // \u{XXXX}
                    if peek() == 123 {
                        position += 1
                        let hexStart = position
                        while position < bytes.count && bytes[position] != 125 && bytes[position] != 10 { position += 1 }
                        let hex = text(hexStart, position)
                        if peek() == 125 { position += 1 }
                        if let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) {
                            current += Array(String(Character(scalar)).utf8)
                        } else {
                            issue("invalid unicode scalar '\\u{\(hex)}'", escStart, position)
                        }
                    } else {
                        issue("expected '{' in \\u{...} escape", escStart, position)
                    }
                case 40: // \( interpolation
                    if !current.isEmpty { segments.append(.text(String(decoding: current, as: UTF8.self))); current = [] }
                    guard interpolationDepth < Parser.maximumDepth else {
                        issue("string interpolations nested too deeply (more than \(Parser.maximumDepth) levels)", escStart, position)
                        position = bytes.count
                        continue
                    }
                    let innerStart = position
                    interpolationDepth += 1
                    var inner = lexTokens(insideInterpolation: true)
                    interpolationDepth -= 1
                    markSpaceAfter(&inner)
                    let innerEnd = position
                    if peek() == 41 { position += 1 }
                    segments.append(.interpolation(inner, SourceRange(start: innerStart, end: innerEnd)))
                default:
                    issue("invalid escape sequence in literal", escStart, position)
                }
                continue
            }
            current.append(c)
            position += 1
        }
        if !closed {
            issue(multiline ? "unterminated multi-line string literal" : "unterminated string literal", start, start + 1)
        }
        if !current.isEmpty || segments.isEmpty { segments.append(.text(String(decoding: current, as: UTF8.self))) }
        if multiline { segments = Lexer.stripIndentation(segments) }
        var token = Token(kind: .string, text: text(start, position), range: SourceRange(start: start, end: position))
        token.segments = segments
        return token
    }

    /// Removes the closing delimiter's indentation from every line of a `"""` literal, and
    /// the line break before the closing delimiter.
    private static func stripIndentation(_ segments: [StringSegment]) -> [StringSegment] {
        guard case .text(let last)? = segments.last else { return segments }
        var indent = ""
        if let nl = last.lastIndex(of: "\n") {
            let tail = last[last.index(after: nl)...]
            if tail.allSatisfy({ $0 == " " || $0 == "\t" }) { indent = String(tail) }
        } else if segments.count == 1, last.allSatisfy({ $0 == " " || $0 == "\t" }) {
            return [.text("")]
        }
        var result: [StringSegment] = []
        var atLineStart = true
        for (i, segment) in segments.enumerated() {
            guard case .text(var s) = segment else { result.append(segment); atLineStart = false; continue }
            if i == segments.count - 1 {
                // Drop the final newline + indentation before the closing quotes.
                if let nl = s.lastIndex(of: "\n") { s = String(s[..<nl]) } else if atLineStart { s = "" }
            }
            var lines = s.components(separatedBy: "\n")
            for j in lines.indices where (j > 0 || atLineStart) && lines[j].hasPrefix(indent) {
                lines[j].removeFirst(indent.count)
            }
            result.append(.text(lines.joined(separator: "\n")))
            atLineStart = s.hasSuffix("\n")
        }
        return result
    }
}
