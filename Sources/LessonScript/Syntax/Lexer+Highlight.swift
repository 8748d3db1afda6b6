/// A highlighted region of a cell's source.
public struct HighlightSpan: Equatable {
    public var range: Range<String.Index>
    public var kind: HighlightKind
    public init(range: Range<String.Index>, kind: HighlightKind) { self.range = range; self.kind = kind }
}

/// What a highlighted region is.
public enum HighlightKind: String, Equatable {
    case keyword, identifier, type, number, string, comment, punctuation, `operator`, plain
}

extension Lexer {
    /// Spans covering `source` from start to end, in order, for syntax highlighting. Never
    /// fails: text the lexer cannot read is `.plain`, unterminated strings and comments run
    /// to where the lexer stopped.
    public static func highlight(_ source: String) -> [HighlightSpan] {
        var lexer = Lexer(source)
        let tokens = lexer.tokenize()
        let utf8 = source.utf8
        let count = utf8.count
        var spans: [HighlightSpan] = []
        var cursor = 0
        func index(_ offset: Int) -> String.Index {
            utf8.index(utf8.startIndex, offsetBy: max(0, min(offset, count)))
        }
        func emit(_ start: Int, _ end: Int, _ kind: HighlightKind) {
            let s = max(start, cursor), e = min(end, count)
            guard e > s else { return }
            let lo = index(s), hi = index(e)
            // Only cut on scalar boundaries, so the ranges are valid for the String.
            guard lo.samePosition(in: source.unicodeScalars) != nil, hi.samePosition(in: source.unicodeScalars) != nil else { return }
            spans.append(HighlightSpan(range: lo..<hi, kind: kind))
            cursor = e
        }
        /// Gaps between tokens are whitespace or comments.
        func gap(until end: Int) {
            guard end > cursor else { return }
            let bytes = Array(utf8[index(cursor)..<index(end)])
            var i = 0
            var plainStart = cursor
            while i < bytes.count {
                if bytes[i] == 47, i + 1 < bytes.count, bytes[i + 1] == 47 || bytes[i + 1] == 42 {
                    let base = cursor
                    emit(plainStart, base + i, .plain)
                    var j = i + 2
                    if bytes[i + 1] == 47 {
                        while j < bytes.count && bytes[j] != 10 { j += 1 }
                    } else {
                        var depth = 1
                        while j < bytes.count && depth > 0 {
                            if bytes[j] == 47, j + 1 < bytes.count, bytes[j + 1] == 42 { depth += 1; j += 2; continue }
                            if bytes[j] == 42, j + 1 < bytes.count, bytes[j + 1] == 47 { depth -= 1; j += 2; continue }
                            j += 1
                        }
                    }
                    emit(base + i, base + j, .comment)
                    plainStart = base + j
                    i = j
                    continue
                }
                i += 1
            }
            emit(plainStart, end, .plain)
        }
        for token in tokens where token.kind != .endOfFile {
            gap(until: token.range.start)
            let kind: HighlightKind
            switch token.kind {
            case .keyword: kind = .keyword
            case .identifier:
                kind = token.text.first.map { $0.isUppercase } == true ? .type : .identifier
            case .integer, .float: kind = .number
            case .string: kind = .string
            case .punctuation:
                kind = "()[]{},:;".contains(token.text) ? .punctuation : .operator
            case .endOfFile: kind = .plain
            }
            emit(token.range.start, token.range.end, kind)
        }
        gap(until: count)
        return spans
    }
}
