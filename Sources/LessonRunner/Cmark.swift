import CCmark
import Foundation

/// The one place that calls libcmark. It turns cmark's tree into plain Swift values so the
/// rest of the runner never touches C pointers.
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
        let bytes = Array(markdown.utf8)
        guard let document = bytes.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    cmark_parse_document($0, buffer.count, CMARK_OPT_DEFAULT)
                }
            } ?? cmark_parse_document("", 0, CMARK_OPT_DEFAULT)
        }) else { return [] }
        defer { cmark_node_free(document) }

        var node = cmark_node_first_child(document)
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

    /// Renders CommonMark prose to HTML with `CMARK_OPT_DEFAULT`, which is safe: raw HTML
    /// and `javascript:` links are replaced, so lesson prose cannot inject script.
    public static func renderHTML(_ markdown: String) -> String {
        let bytes = Array(markdown.utf8)
        let rendered: UnsafeMutablePointer<CChar>? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return cmark_markdown_to_html("", 0, CMARK_OPT_DEFAULT) }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_markdown_to_html($0, buffer.count, CMARK_OPT_DEFAULT)
            }
        }
        guard let html = rendered else { return "" }
        defer { free(html) }
        return String(cString: html)
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
