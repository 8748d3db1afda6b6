import Foundation

/// One piece of a page's prose: Markdown from the lesson, or the place of a cell.
enum ProsePiece {
    case prose(String, firstLine: Int)
    case placeholder(Int)
}

/// All the prose of a page rendered as one Markdown document, with each cell's place kept by
/// a placeholder paragraph. One document means footnotes and link definitions work across
/// cells, heading ids are unique on the page, and the table of contents sees every heading.
struct ProseDocument {
    var headings: [Cmark.Heading]
    /// The rendered prose with math restored and the placeholders still in.
    private var rendered: String
    private var spans: [MathSpans.Span]
    var hasMath: Bool { !spans.isEmpty }

    static func token(_ index: Int) -> String { "LBCELLPLACEHOLDER\(index)X" }

    /// Renders `pieces`. Links and images go through `rewriteURL` with the line of `file`
    /// they are on.
    static func render(_ pieces: [ProsePiece], file: String,
                       rewriteURL: ((Cmark.Reference) throws -> String)?) throws -> ProseDocument {
        var markdown = ""
        // (first line in the combined text, first line in the file) of each prose piece.
        var origins: [(combined: Int, file: Int)] = []
        var line = 1
        for piece in pieces {
            switch piece {
            case .prose(let text, let firstLine):
                origins.append((line, firstLine))
                let body = text.hasSuffix("\n") ? text : text + "\n"
                markdown += body
                line += body.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            case .placeholder(let index):
                markdown += "\n\(token(index))\n\n"
                line += 3
            }
        }
        let (protected, spans) = MathSpans.protect(markdown)
        var used: [String: Int] = [:]
        let mapped = rewriteURL.map { rewrite in
            { (reference: Cmark.Reference) throws -> String in
                var reference = reference
                if let origin = origins.last(where: { $0.combined <= reference.line }) {
                    reference.line = origin.file + reference.line - origin.combined
                }
                return try rewrite(reference)
            }
        }
        let prose = try Cmark.renderProse(protected, headingID: { text in
            let base = slug(text)
            let count = used[base, default: 0]
            used[base] = count + 1
            return count == 0 ? base : "\(base)-\(count)"
        }, rewriteURL: mapped)
        return ProseDocument(headings: prose.headings, rendered: MathSpans.restore(prose.html, spans: spans), spans: spans)
    }

    /// GitHub's heading anchors: lower case, letters, digits, `-` and `_` kept, spaces to `-`.
    static func slug(_ text: String) -> String {
        var out = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "_" || ch == "-" { out.append(ch) } else if ch == " " { out.append("-") }
        }
        return out.isEmpty ? "section" : out
    }

    /// The prose with each placeholder replaced by `cells[i]`; a cell whose placeholder did not
    /// survive as its own paragraph is put where its token is, or at the end.
    func html(with cells: [String]) -> String {
        var html = rendered
        for (index, cell) in cells.enumerated() {
            let token = Self.token(index)
            if let range = html.range(of: "<p>\(token)</p>\n") ?? html.range(of: "<p>\(token)</p>") {
                html.replaceSubrange(range, with: cell)
            } else if let range = html.range(of: token) {
                html.replaceSubrange(range, with: cell)
            } else {
                html += cell
            }
        }
        return html
    }

    /// The prose alone, for the search index.
    var searchableHTML: String {
        rendered.replacingOccurrences(of: "LBCELLPLACEHOLDER[0-9]+X", with: "", options: .regularExpression)
    }

    /// "On this page": the second- and third-level headings, or "" when there are fewer than two.
    var tableOfContents: String {
        let entries = headings.filter { $0.level == 2 || $0.level == 3 }
        guard entries.count >= 2 else { return "" }
        var html = "<nav class=\"lb-toc\" aria-label=\"On this page\"><p class=\"lb-toc-title\">On this page</p><ol>\n"
        for heading in entries {
            html += "<li class=\"lb-toc-\(heading.level)\"><a href=\"#\(HTMLEscaping.attribute(heading.id))\">\(HTMLEscaping.escape(heading.text))</a></li>\n"
        }
        html += "</ol></nav>\n"
        return MathSpans.restore(html, spans: spans)
    }
}
