import Foundation
import LessonScript

/// Cell source as highlighted HTML, using the LessonScript lexer's token classes.
public enum SyntaxHighlighter {
    /// The CSS class for each kind of token (nil: plain text, no span).
    static func cssClass(_ kind: String) -> String? {
        switch kind {
        case "keyword": return "hl-kw"
        case "type": return "hl-ty"
        case "number": return "hl-num"
        case "string": return "hl-str"
        case "comment": return "hl-com"
        case "operator": return "hl-op"
        case "punctuation": return "hl-pun"
        case "call": return "hl-fn"
        default: return nil
        }
    }

    /// `source`, HTML-escaped, with each highlighted token wrapped in
    /// `<span class="hl-…">`. Text the lexer does not cover stays plain, so the result
    /// always shows the whole source even if spans overlap or are out of order.
    public static func highlight(_ source: String) -> String {
        var spans = lexerSpans(source).filter { !$0.range.isEmpty }
        spans.sort { $0.range.lowerBound < $1.range.lowerBound }
        var html = ""
        html.reserveCapacity(source.utf8.count * 2)
        var cursor = source.startIndex
        for span in spans {
            guard span.range.lowerBound >= cursor, span.range.upperBound <= source.endIndex else { continue }
            html += HTMLEscaping.escape(String(source[cursor..<span.range.lowerBound]))
            let text = HTMLEscaping.escape(String(source[span.range]))
            if let cls = cssClass(span.kind) {
                html += "<span class=\"\(cls)\">\(text)</span>"
            } else {
                html += text
            }
            cursor = span.range.upperBound
        }
        html += HTMLEscaping.escape(String(source[cursor...]))
        return html
    }

    /// The one call into the lexer: token ranges and kinds by name.
    static func lexerSpans(_ source: String) -> [(range: Range<String.Index>, kind: String)] {
        Lexer.highlight(source).map { span in
            // A lower-case name right before `(` is drawn as a call: `conv2d(x, w)`.
            if span.kind == .identifier,
               source[span.range.upperBound...].first(where: { $0 != " " }) == "(" {
                return (span.range, "call")
            }
            return (span.range, span.kind.rawValue)
        }
    }
}
