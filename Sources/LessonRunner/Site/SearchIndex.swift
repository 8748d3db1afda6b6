import Foundation

/// The course's full-text search, built at render time so it works offline from `file://`:
/// `assets/search-index.js` sets `window.LB_SEARCH` to one entry per section (lesson title,
/// heading, link, plain text), and `assets/lessonbook.js` scores the sections that contain
/// every word of the query. A `<script>` file, not JSON, because browsers refuse to fetch a
/// JSON file next to a page opened from disk; a plain scan, not Lunr, because the course's
/// prose is about 200 KB: scanning it takes a few milliseconds and needs no library.
public enum SearchIndex {
    public struct Section: Codable, Equatable {
        /// The lesson's title.
        public var l: String
        /// The heading, or "" for the lesson's opening.
        public var h: String
        /// The link: `05-lenet.html#training`.
        public var u: String
        /// The section's plain text.
        public var t: String
    }

    /// The sections of a page's prose HTML, split at its headings with ids.
    static func sections(title: String, file: String, html: String) -> [Section] {
        let pattern = try! NSRegularExpression(pattern: "<h([1-6]) id=\"([^\"]*)\">(.*?)</h\\1>", options: [.dotMatchesLineSeparators])
        let ns = html as NSString
        var sections: [Section] = []
        var current = Section(l: title, h: "", u: file, t: "")
        var position = 0
        for match in pattern.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            current.t = plainText(ns.substring(with: NSRange(location: position, length: match.range.location - position)))
            if !current.t.isEmpty || !current.h.isEmpty { sections.append(current) }
            let level = ns.substring(with: match.range(at: 1))
            let id = ns.substring(with: match.range(at: 2))
            let heading = plainText(ns.substring(with: match.range(at: 3)))
            current = Section(l: title, h: level == "1" ? "" : heading, u: level == "1" ? file : "\(file)#\(unescape(id))", t: "")
            position = match.range.location + match.range.length
        }
        current.t = plainText(ns.substring(from: position))
        if !current.t.isEmpty || !current.h.isEmpty { sections.append(current) }
        return sections
    }

    /// `window.LB_SEARCH = [...];`
    static func script(_ sections: [Section]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(sections), as: UTF8.self)
        return "window.LB_SEARCH = \(json);\n"
    }

    /// Tags dropped, the five entities decoded, white space collapsed.
    static func plainText(_ html: String) -> String {
        var text = ""
        var inTag = false
        for c in html {
            if c == "<" { inTag = true; text.append(" "); continue }
            if c == ">" { inTag = false; continue }
            if !inTag { text.append(c) }
        }
        return unescape(text).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
