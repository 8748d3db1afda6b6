import CCmark
import Foundation

/// The one place that calls libcmark-gfm (GitHub's CommonMark with its extensions). It turns
/// cmark's tree into plain Swift values and HTML strings, so the rest of the runner never
/// touches C pointers, and a change of C library (as from libcmark to libcmark-gfm) is one file.
public enum Cmark {
    /// A top-level block of a CommonMark document, with its 1-based inclusive line range.
    public struct Block: Equatable {
        public enum Kind: Equatable {
            /// A fenced code block. `info` is the whole info string; `fenceChar` is "`" or "~"
            /// and `fenceLength` the opening fence's length, as written.
            case fencedCode(info: String, literal: String, fenceChar: Character, fenceLength: Int, indent: Int)
            /// Anything else: paragraphs, headings, lists, indented code, HTML, ...
            case other(type: String)
        }
        public var kind: Kind
        public var startLine: Int
        public var endLine: Int
    }

    /// Parses `markdown` and returns its top-level blocks in order. Blocks nested in lists
    /// or block quotes belong to their container (a fence there is prose, never a cell).
    public static func topLevelBlocks(_ markdown: String) -> [Block] {
        let lines = markdown.linesSplitAtNewline.map { Substring($0) }
        var blocks: [Block] = []
        let parsed = Parsed(markdown, options: CMARK_OPT_DEFAULT)
        var node = cmark_node_first_child(parsed.document)
        while let current = node {
            let start = Int(cmark_node_get_start_line(current))
            let end = Int(cmark_node_get_end_line(current))
            let type = cmark_node_get_type(current)
            var kind = Block.Kind.other(type: String(cString: cmark_node_get_type_string(current)))
            if type == CMARK_NODE_CODE_BLOCK, start >= 1, start <= lines.count,
               let fence = openingFence(of: lines[start - 1]) {
                let info = cmark_node_get_fence_info(current).map { String(cString: $0) } ?? ""
                let literal = cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
                kind = .fencedCode(info: info, literal: literal, fenceChar: fence.char,
                                   fenceLength: fence.length, indent: fence.indent)
            }
            blocks.append(Block(kind: kind, startLine: start, endLine: max(start, end)))
            node = cmark_node_next(current)
        }
        return blocks
    }

    /// Renders GitHub-flavoured prose to HTML. The default options are safe: raw HTML and
    /// `javascript:` links are replaced, so lesson prose cannot inject script.
    public static func renderHTML(_ markdown: String) -> String {
        (try? renderProse(markdown, headingID: nil, rewriteURL: nil).html) ?? ""
    }

    /// A heading of rendered prose: its level, plain text and the id it was given.
    public struct Heading: Equatable {
        public var level: Int
        public var text: String
        public var id: String
    }

    /// A link or image destination met while rendering, with the 1-based line it is on.
    public struct Reference: Equatable {
        public var url: String
        public var isImage: Bool
        public var line: Int
    }

    /// Prose rendered to HTML, with its headings in order.
    public struct Prose {
        public var html: String
        public var headings: [Heading]
    }

    /// The GitHub alert kinds (`> [!NOTE]` …) and their titles.
    static let alerts = ["NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning", "CAUTION": "Caution"]

    /// Renders prose with the GitHub extensions (tables, strikethrough, autolinks, task
    /// lists, footnotes) and GitHub's alerts as `lb-callout` blocks. With `headingID`, every
    /// heading gets the id it returns for the heading's text, and a `#` anchor link; with
    /// `rewriteURL`, every link and image destination is replaced by what it returns (it
    /// throws to reject one).
    public static func renderProse(_ markdown: String, headingID: ((String) -> String)?,
                                   rewriteURL: ((Reference) throws -> String)?) throws -> Prose {
        let parsed = Parsed(markdown, options: CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES)
        cmark_consolidate_text_nodes(parsed.document)
        var headings: [Heading] = []
        var alertQuotes: [(node: OpaquePointer, kind: String)] = []

        // Collect first, change after: the iterator must not see nodes move under it.
        var links: [OpaquePointer] = []
        guard let iterator = cmark_iter_new(parsed.document) else { return Prose(html: "", headings: []) }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING:
                if let headingID {
                    let text = plainText(node)
                    headings.append(Heading(level: Int(cmark_node_get_heading_level(node)), text: text, id: headingID(text)))
                }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                links.append(node)
            case CMARK_NODE_BLOCK_QUOTE:
                if let kind = alertKind(node) { alertQuotes.append((node, kind)) }
            default:
                break
            }
        }
        if let rewriteURL {
            for node in links {
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                let reference = Reference(url: url, isImage: cmark_node_get_type(node) == CMARK_NODE_IMAGE, line: line(of: node))
                let rewritten = try rewriteURL(reference)
                if rewritten != url { cmark_node_set_url(node, rewritten) }
            }
        }
        for (quote, kind) in alertQuotes { replaceAlert(quote, kind: kind) }

        let extensions = cmark_parser_get_syntax_extensions(parsed.parser)
        guard let rendered = cmark_render_html(parsed.document, CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES, extensions) else {
            return Prose(html: "", headings: headings)
        }
        defer { free(rendered) }
        var html = String(cString: rendered)
        if !headings.isEmpty { html = addHeadingIDs(html, headings) }
        return Prose(html: html, headings: headings)
    }

    // MARK: - Parsing

    /// A parser with GitHub's extensions attached and the document it parsed; freed together.
    private final class Parsed {
        let parser: OpaquePointer
        let document: OpaquePointer

        init(_ markdown: String, options: Int32) {
            cmark_gfm_core_extensions_ensure_registered()
            let parser: OpaquePointer = cmark_parser_new(options)
            self.parser = parser
            for name in ["table", "strikethrough", "autolink", "tasklist"] {
                if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
            }
            var bytes = Array(markdown.utf8)
            if bytes.isEmpty { bytes = [10] }
            bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parser_feed(parser, $0, buffer.count)
                }
            }
            document = cmark_parser_finish(parser)
        }

        deinit {
            cmark_node_free(document)
            cmark_parser_free(parser)
        }
    }

    /// The text of a node's inline content (code spans included, markup dropped).
    private static func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                text += cmark_node_get_literal(child).map { String(cString: $0) } ?? ""
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default:
                break
            }
        }
        return text
    }

    /// The line of a node: inline nodes report none, so the nearest enclosing block's.
    private static func line(of node: OpaquePointer) -> Int {
        var current: OpaquePointer? = node
        while let n = current {
            let line = Int(cmark_node_get_start_line(n))
            if line > 0 { return line }
            current = cmark_node_parent(n)
        }
        return 0
    }

    /// `NOTE` when the quote's first line is exactly `[!NOTE]` (GitHub's alert syntax).
    private static func alertKind(_ quote: OpaquePointer) -> String? {
        guard let paragraph = cmark_node_first_child(quote), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH,
              let first = cmark_node_first_child(paragraph), cmark_node_get_type(first) == CMARK_NODE_TEXT,
              let literal = cmark_node_get_literal(first).map({ String(cString: $0) }) else { return nil }
        let marker = literal.trimmingCharacters(in: .whitespaces)
        guard marker.hasPrefix("[!"), marker.hasSuffix("]") else { return nil }
        let kind = marker.dropFirst(2).dropLast().uppercased()
        guard alerts[kind] != nil else { return nil }
        if let next = cmark_node_next(first) {
            let type = cmark_node_get_type(next)
            guard type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK else { return nil }
        }
        return kind
    }

    /// Replaces an alert quote by a custom block (a titled `div`) holding the same content
    /// without its `[!KIND]` line.
    private static func replaceAlert(_ quote: OpaquePointer, kind: String) {
        guard let callout = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        let title = alerts[kind] ?? kind
        cmark_node_set_on_enter(callout, "<div class=\"lb-callout lb-callout-\(kind.lowercased())\" role=\"note\"><p class=\"lb-callout-title\">\(title)</p>\n")
        cmark_node_set_on_exit(callout, "</div>")
        if let paragraph = cmark_node_first_child(quote), let marker = cmark_node_first_child(paragraph) {
            if let lineBreak = cmark_node_next(marker) { cmark_node_unlink(lineBreak); cmark_node_free(lineBreak) }
            cmark_node_unlink(marker); cmark_node_free(marker)
            if cmark_node_first_child(paragraph) == nil { cmark_node_unlink(paragraph); cmark_node_free(paragraph) }
        }
        while let child = cmark_node_first_child(quote) {
            cmark_node_append_child(callout, child)
        }
        cmark_node_insert_before(quote, callout)
        cmark_node_unlink(quote)
        cmark_node_free(quote)
    }

    /// `<h2>` → `<h2 id="ID">` and a `#` link before `</h2>`, heading by heading in order. Safe
    /// rendering never emits a literal `<hN>` for anything but a heading.
    private static func addHeadingIDs(_ html: String, _ headings: [Heading]) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count + headings.count * 80)
        var rest = html[...]
        for heading in headings {
            let open = "<h\(heading.level)>", close = "</h\(heading.level)>"
            guard let o = rest.range(of: open), let c = rest.range(of: close, range: o.upperBound..<rest.endIndex) else { break }
            let id = HTMLEscaping.attribute(heading.id)
            out += rest[..<o.lowerBound]
            out += "<h\(heading.level) id=\"\(id)\">"
            out += rest[o.upperBound..<c.lowerBound]
            out += "<a class=\"lb-anchor\" href=\"#\(id)\" aria-label=\"Link to this section\"></a>" + close
            rest = rest[c.upperBound...]
        }
        out += rest
        return out
    }

    /// The fence that opens a code block on `line`: up to three spaces, then three or more
    /// backticks or tildes. Nil for indented code.
    static func openingFence(of line: Substring) -> (char: Character, length: Int, indent: Int)? {
        var indent = 0
        var rest = line[...]
        while rest.first == " ", indent < 4 { indent += 1; rest = rest.dropFirst() }
        guard indent <= 3, let char = rest.first, char == "`" || char == "~" else { return nil }
        let length = rest.prefix { $0 == char }.count
        return length >= 3 ? (char, length, indent) : nil
    }

    /// True when `line` closes a fence opened with `length` times `char` (CommonMark 4.5:
    /// at most three spaces of indentation, at least as long, nothing but spaces after).
    static func isClosingFence(_ line: Substring, char: Character, length: Int) -> Bool {
        var rest = line[...]
        if rest.last == "\r" { rest = rest.dropLast() }
        var indent = 0
        while rest.first == " ", indent < 4 { indent += 1; rest = rest.dropFirst() }
        guard indent <= 3 else { return false }
        let run = rest.prefix { $0 == char }.count
        guard run >= length else { return false }
        return rest.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
    }
}
