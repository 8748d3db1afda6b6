import Foundation

/// TeX in lesson prose (`$…$` inline, `$$…$$` display) kept away from CommonMark, so that
/// `_`, `*`, `\\` and friends reach KaTeX exactly as written.
///
/// `protect` swaps every math span for a placeholder made of private-use characters (which
/// CommonMark passes through untouched), skipping code spans and fenced code; `restore`
/// puts the TeX back, HTML-escaped, as `<span class="math inline">` or
/// `<div class="math display">`. The delimiter rules follow pandoc's `tex_math_dollars`:
/// an opening `$` is not followed by a space, a closing `$` is not preceded by a space and
/// not followed by a digit (so `$5 and $10` stays money), `\$` is a literal dollar, and
/// math never runs across a blank line. As in TeX, inline math ends at its first unescaped
/// `$`, and it never runs into a code span.
public enum MathSpans {
    /// One protected span.
    public struct Span: Equatable {
        public var tex: String
        public var display: Bool
    }

    private static let open: Character = "\u{E000}"
    private static let close: Character = "\u{E001}"

    /// The Markdown with math replaced by placeholders, and the spans in placeholder order.
    public static func protect(_ markdown: String) -> (markdown: String, spans: [Span]) {
        // "\r\n" is one Character in Swift; CommonMark treats it as "\n" anyway.
        let chars = Array(markdown.contains("\r\n") ? markdown.replacingOccurrences(of: "\r\n", with: "\n") : markdown)
        var out = ""
        out.reserveCapacity(markdown.utf8.count)
        var spans: [Span] = []
        var i = 0
        var atLineStart = true
        var fence: (char: Character, length: Int)? = nil

        while i < chars.count {
            if atLineStart {
                let lineEnd = chars[i...].firstIndex(of: "\n") ?? chars.count
                let line = chars[i..<lineEnd]
                if let open = fence {
                    // Inside a fenced block: copy lines until the closing fence.
                    if let f = fenceMarker(line), f.char == open.char, f.length >= open.length, f.restIsBlank { fence = nil }
                    out.append(contentsOf: line)
                    if lineEnd < chars.count { out.append("\n") }
                    i = lineEnd + 1
                    continue
                }
                if let f = fenceMarker(line), !(f.char == "`" && f.infoHasBacktick) {
                    fence = (f.char, f.length)
                    out.append(contentsOf: line)
                    if lineEnd < chars.count { out.append("\n") }
                    i = lineEnd + 1
                    continue
                }
                atLineStart = false
            }

            let c = chars[i]
            switch c {
            case "\n":
                out.append(c); i += 1; atLineStart = true
            case "\\":
                // A backslash escape (`\$`, `\\`, `\``) stays as written for CommonMark.
                out.append(c)
                if i + 1 < chars.count, chars[i + 1] != "\n" { out.append(chars[i + 1]); i += 2 } else { i += 1 }
            case "`":
                let run = runLength(chars, from: i, of: "`")
                if let end = closingBackticks(chars, from: i + run, length: run) {
                    out.append(contentsOf: chars[i..<(end + run)])
                    i = end + run
                } else {
                    out.append(contentsOf: chars[i..<(i + run)])
                    i += run
                }
            case "$":
                if let (span, next) = mathSpan(chars, at: i) {
                    out.append(open); out += String(spans.count); out.append(close)
                    spans.append(span)
                    i = next
                } else {
                    // A run of dollars that opens nothing is literal; skip it whole so `$$5`
                    // is not re-read as `$` + `$5`.
                    let run = runLength(chars, from: i, of: "$")
                    out.append(contentsOf: chars[i..<(i + run)])
                    i += run
                }
            default:
                out.append(c); i += 1
            }
        }
        return (out, spans)
    }

    /// HTML from CommonMark with the placeholders replaced by math elements. A paragraph
    /// that is nothing but one display formula becomes the `<div>` itself (a `<div>` may not
    /// sit inside a `<p>`); display math inside running text becomes a block-styled span.
    /// Inside a tag (an image's alt text) the TeX goes back as plain escaped `$…$` text.
    public static func restore(_ html: String, spans: [Span]) -> String {
        guard !spans.isEmpty else { return html }
        var result = ""
        result.reserveCapacity(html.utf8.count + spans.count * 40)
        let chars = Array(html)
        var i = 0
        var inTag = false
        while i < chars.count {
            let c = chars[i]
            if c == "<" { inTag = true } else if c == ">" { inTag = false }
            if c == open, let (index, next) = placeholder(chars, at: i), index < spans.count {
                let span = spans[index]
                let tex = HTMLEscaping.escape(span.tex)
                if inTag {
                    result += span.display ? "$$\(tex)$$" : "$\(tex)$"
                } else if span.display {
                    // `<p>` + placeholder + `</p>`: replace the paragraph.
                    if result.hasSuffix("<p>"), matches(chars, at: next, "</p>") {
                        result.removeLast(3)
                        result += "<div class=\"math display\">\(tex)</div>"
                        i = next + 4
                        continue
                    }
                    result += "<span class=\"math display\">\(tex)</span>"
                } else {
                    // Punctuation right after a formula stays on its line: KaTeX's output
                    // otherwise lets the browser wrap before the comma.
                    var end = next
                    while end < chars.count, end - next < 4, ".,;:!?)".contains(chars[end]) { end += 1 }
                    if end > next {
                        result += "<span class=\"lb-nowrap\"><span class=\"math inline\">\(tex)</span>\(String(chars[next..<end]))</span>"
                        i = end
                        continue
                    }
                    result += "<span class=\"math inline\">\(tex)</span>"
                }
                i = next
                continue
            }
            result.append(c)
            i += 1
        }
        return result
    }

    /// Protect, render with `render` (CommonMark), restore.
    public static func renderProse(_ markdown: String, render: (String) -> String) -> String {
        let (protected, spans) = protect(markdown)
        return restore(render(protected), spans: spans)
    }

    // MARK: - Scanning

    /// The math span starting at the `$` at `i`, and the index after it.
    private static func mathSpan(_ chars: [Character], at i: Int) -> (Span, Int)? {
        let display = i + 1 < chars.count && chars[i + 1] == "$"
        let start = i + (display ? 2 : 1)
        guard start < chars.count else { return nil }
        if !display {
            // Opening `$` must be followed by a non-space.
            if chars[start].isWhitespace { return nil }
        }
        var j = start
        var sawNewline = false
        while j < chars.count {
            let c = chars[j]
            if c == "\\" { j += 2; sawNewline = false; continue }
            if c == "\n" {
                if sawNewline { return nil }  // blank line: the paragraph ended
                sawNewline = true
                j += 1
                continue
            }
            if !c.isWhitespace { sawNewline = false }
            if c == "$" {
                if display {
                    if j + 1 < chars.count, chars[j + 1] == "$" {
                        let tex = String(chars[start..<j])
                        if tex.allSatisfy(\.isWhitespace) { return nil }
                        return (Span(tex: tex.trimmingCharacters(in: .whitespacesAndNewlines), display: true), j + 2)
                    }
                    j += 1  // a lone `$` inside display math (`\text{$x$}`) ends nothing
                    continue
                }
                // As in TeX, the first unescaped `$` ends inline math; if it cannot close
                // (space before it, digit after it), the opener was a price, not math.
                let prevIsSpace = chars[j - 1].isWhitespace
                let nextIsDigit = j + 1 < chars.count && chars[j + 1].isNumber
                if !prevIsSpace && !nextIsDigit {
                    return (Span(tex: String(chars[start..<j]), display: false), j + 1)
                }
                return nil
            }
            if c == "`" && !display {
                return nil  // a code span starts: math does not run into code
            }
            j += 1
        }
        return nil
    }

    private static func placeholder(_ chars: [Character], at i: Int) -> (Int, Int)? {
        var j = i + 1
        var value = 0
        var digits = 0
        while j < chars.count, let d = chars[j].wholeNumberValue, chars[j].isASCII {
            value = value * 10 + d; digits += 1; j += 1
            if digits > 9 { return nil }
        }
        guard digits > 0, j < chars.count, chars[j] == close else { return nil }
        return (value, j + 1)
    }

    private static func matches(_ chars: [Character], at i: Int, _ text: String) -> Bool {
        let t = Array(text)
        guard i + t.count <= chars.count else { return false }
        return Array(chars[i..<(i + t.count)]) == t
    }

    private static func runLength(_ chars: [Character], from i: Int, of c: Character) -> Int {
        var j = i
        while j < chars.count, chars[j] == c { j += 1 }
        return j - i
    }

    /// Start of the next backtick run of exactly `length`, not crossing a blank line.
    private static func closingBackticks(_ chars: [Character], from i: Int, length: Int) -> Int? {
        var j = i
        var lastNewline: Int? = nil
        while j < chars.count {
            if chars[j] == "\n" {
                if let previous = lastNewline, chars[(previous + 1)..<j].allSatisfy({ $0 == " " || $0 == "\t" }) { return nil }
                lastNewline = j
                j += 1
                continue
            }
            if chars[j] == "`" {
                let run = runLength(chars, from: j, of: "`")
                if run == length { return j }
                j += run
                continue
            }
            j += 1
        }
        return nil
    }

    /// A fence line: leading spaces (any number, so fences in list items count), then three
    /// or more backticks or tildes.
    private static func fenceMarker(_ line: ArraySlice<Character>) -> (char: Character, length: Int, restIsBlank: Bool, infoHasBacktick: Bool)? {
        var k = line.startIndex
        while k < line.endIndex, line[k] == " " || line[k] == "\t" { k += 1 }
        guard k < line.endIndex, line[k] == "`" || line[k] == "~" else { return nil }
        let char = line[k]
        var length = 0
        while k < line.endIndex, line[k] == char { k += 1; length += 1 }
        guard length >= 3 else { return nil }
        let rest = line[k...]
        return (char, length, rest.allSatisfy { $0 == " " || $0 == "\t" }, rest.contains("`"))
    }
}
