import Foundation

/// A lesson file as a plain list of segments — front matter, prose runs and cells with their
/// ```output blocks — each holding its exact line range, so that joining the segments gives
/// back the file byte for byte, and rewriting one output block leaves every other byte alone.
public struct LessonDocument {
    /// One fenced ```output block that directly follows a cell.
    public struct OutputBlock: Equatable {
        /// 1-based lines of the block, fences included.
        public var lines: Range<Int>
        /// The text between the fences (cmark's literal, without its final newline).
        public var content: String
        public var fenceChar: Character
        public var fenceLength: Int
        public var indent: Int
    }

    /// A ```swift cell.
    public struct Cell: Equatable {
        /// 1-based position among the lesson's cells.
        public var number: Int
        /// The cell's stable name: its `id=` or its number.
        public var id: String
        public var options: CellOptions
        /// The code, without fences.
        public var source: String
        /// 1-based lines of the code block, fences included.
        public var codeLines: Range<Int>
        /// The expected output, when the lesson has one.
        public var output: OutputBlock?
        /// Line of the opening fence, used in messages.
        public var fenceLine: Int { codeLines.lowerBound }
        /// Line of the first line of code: what the interpreter's positions count from.
        public var firstSourceLine: Int { codeLines.lowerBound + 1 }
        /// Every line the cell owns: the code block, the blank lines after it and its output block.
        public var lines: Range<Int> { codeLines.lowerBound..<(output?.lines.upperBound ?? codeLines.upperBound) }
    }

    public enum Segment: Equatable {
        case frontMatter(Range<Int>)
        case prose(Range<Int>)
        case cell(Cell)

        public var lines: Range<Int> {
            switch self {
            case .frontMatter(let r), .prose(let r): return r
            case .cell(let c): return c.lines
            }
        }
    }

    /// The path as given (for messages).
    public var path: String
    /// True when every line of the file ends in CRLF: block contents drop the CR, new lines get one.
    public var usesCRLF = false
    /// The file's lines without their `\n`; a file ending in a newline has a final empty line.
    public var lines: [String]
    public var frontMatter: FrontMatter
    public var segments: [Segment]
    public var warnings: [LessonWarning]

    /// The cells, in order.
    public var cells: [Cell] {
        segments.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
    }

    /// The names of the lesson's output files.
    public var artifactNames: ArtifactNames { ArtifactNames(lessonPath: path) }

    /// The front matter's title, else the first `# ` heading, else the file name.
    public var title: String { heading ?? artifactNames.slug }

    /// The front matter's title, else the first `# ` heading of the prose; nil when there is neither.
    public var heading: String? {
        if let t = frontMatter.title, !t.isEmpty { return t }
        for segment in segments {
            guard case .prose(let range) = segment else { continue }
            for number in range where lines[number - 1].hasPrefix("# ") {
                return lines[number - 1].dropFirst(2).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The whole file, exactly as read.
    public var text: String { lines.joined(separator: "\n") }

    /// The text of 1-based `range` of lines, joined with newlines.
    public func text(of range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        return lines[(range.lowerBound - 1)..<(range.upperBound - 1)].joined(separator: "\n")
    }

    /// Reads and parses a lesson file.
    public static func load(path: String) throws -> LessonDocument {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw LessonInputError(file: path, line: 0, message: "cannot read lesson: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonInputError(file: path, line: 1, message: "lesson is not valid UTF-8")
        }
        return try LessonDocument(text: text, path: path)
    }

    /// Parses `text`. Throws `LessonInputError` for an unterminated ```swift or ```output fence,
    /// an unknown cell option, a duplicate cell id or bad front matter.
    public init(text: String, path: String) throws {
        self.path = path
        // A file with only CR line endings would read as a single line without cells, and
        // `check` would pass it without comparing anything.
        if !text.contains("\n"), text.contains("\r") {
            throw LessonInputError(file: path, line: 1, message: "the lesson has CR-only line endings (classic Mac OS); save it with LF or CRLF line endings")
        }
        lines = text.linesSplitAtNewline
        usesCRLF = lines.count > 1 && lines.dropLast().allSatisfy { $0.hasSuffix("\r") }
        let substrings = lines.map { Substring($0) }
        warnings = []
        segments = []

        var frontMatterLines = 0
        if let (matter, count, frontWarnings) = try FrontMatter.parse(lines: substrings, file: path) {
            frontMatter = matter
            frontMatterLines = count
            warnings += frontWarnings
        } else {
            frontMatter = FrontMatter()
        }

        // cmark would read `---` … `---` as a rule and a setext heading; blank those lines
        // so line numbers stay those of the file.
        // cmark also ends a line at a lone `\r`; make those spaces so its line numbers
        // are the file's.
        var body = lines.map { line -> String in
            guard line.contains("\r") else { return line }
            let ending = line.hasSuffix("\r") ? "\r" : ""
            return String(line.dropLast(ending.count)).replacingOccurrences(of: "\r", with: " ") + ending
        }
        for i in 0..<frontMatterLines { body[i] = "" }
        let blocks = Cmark.topLevelBlocks(body.joined(separator: "\n"))

        var cells: [Cell] = []
        var index = 0
        while index < blocks.count {
            let block = blocks[index]
            index += 1
            guard case .fencedCode(let info, let literal, let char, let length, _) = block.kind else { continue }
            let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.first == "swift" else {
                if Self.isOutputInfo(info) {
                    warnings.append(LessonWarning(file: path, line: block.startLine,
                        message: "this ```output block does not directly follow a ```swift cell, so it is not compared; put it right after the cell (only blank lines between)"))
                }
                continue
            }
            guard Cmark.isClosingFence(substrings[block.endLine - 1], char: char, length: length), block.endLine > block.startLine else {
                throw LessonInputError(file: path, line: block.startLine,
                    message: "unterminated ```swift fence: the cell runs to the end of the file; close it with \(String(repeating: char, count: length))")
            }
            let options = try CellOptions(words: Array(words.dropFirst()), file: path, line: block.startLine)
            var cell = Cell(number: cells.count + 1, id: options.id ?? String(cells.count + 1), options: options,
                            source: Self.dropFinalNewline(literal),
                            codeLines: block.startLine..<(block.endLine + 1), output: nil)
            if index < blocks.count, case .fencedCode(let oInfo, _, let oChar, let oLength, let oIndent) = blocks[index].kind,
               Self.isOutputInfo(oInfo),
               (block.endLine + 1..<blocks[index].startLine).allSatisfy({ substrings[$0 - 1].allSatisfy(\.isWhitespace) }) {
                let o = blocks[index]
                guard Cmark.isClosingFence(substrings[o.endLine - 1], char: oChar, length: oLength), o.endLine > o.startLine else {
                    throw LessonInputError(file: path, line: o.startLine,
                        message: "unterminated ```output fence: it runs to the end of the file")
                }
                cell.output = OutputBlock(lines: o.startLine..<(o.endLine + 1),
                                          content: Self.blockContent(lines[o.startLine..<(o.endLine - 1)], indent: oIndent, crlf: usesCRLF),
                                          fenceChar: oChar, fenceLength: oLength, indent: oIndent)
                index += 1
            }
            cells.append(cell)
        }

        var seen: [String: Int] = [:]
        for cell in cells {
            let key = ArtifactNames.sanitize(cell.id, fallback: "cell")
            if let other = seen[key] {
                throw LessonInputError(file: path, line: cell.fenceLine,
                    message: "cell id '\(cell.id)' is already used by the cell at line \(other)")
            }
            seen[key] = cell.fenceLine
        }

        // Cover every line: front matter, then prose between cells.
        var next = 1
        if frontMatterLines > 0 {
            segments.append(.frontMatter(1..<(frontMatterLines + 1)))
            next = frontMatterLines + 1
        }
        for cell in cells {
            if cell.lines.lowerBound > next { segments.append(.prose(next..<cell.lines.lowerBound)) }
            segments.append(.cell(cell))
            next = cell.lines.upperBound
        }
        if next <= lines.count { segments.append(.prose(next..<(lines.count + 1))) }

        if cells.isEmpty {
            warnings.append(LessonWarning(file: path, line: 1, message: "empty lesson: no ```swift cells"))
        }
    }

    /// A new output for one cell: the text of its ```output block and lines of Markdown to put
    /// right after the block (image links in the rendered lesson).
    public struct OutputEdit: Equatable {
        public var content: String
        public var trailer: [String]
        /// Lines right after the old block (after at most one blank line) that contain this
        /// text are an earlier trailer and are replaced, so rewriting is idempotent.
        public var replacesLinesContaining: String?
        public init(content: String, trailer: [String] = [], replacesLinesContaining: String? = nil) {
            self.content = content; self.trailer = trailer; self.replacesLinesContaining = replacesLinesContaining
        }
    }

    /// The file with the output blocks of the cells in `edits` (by cell number) replaced, or
    /// inserted after the code (one blank line, then the block) when a cell has none. Every
    /// other line is kept exactly.
    public func rewritten(edits: [Int: OutputEdit]) -> String {
        var out: [String] = []
        out.reserveCapacity(lines.count + edits.count * 4)
        // After a trailer: the old trailer to drop from the next prose, and a blank line to
        // keep before whatever follows.
        var dropMarker: String?
        var blankBeforeNext = false
        for segment in segments {
            var segmentLines = Array(lines[(segment.lines.lowerBound - 1)..<(segment.lines.upperBound - 1)])
            if case .prose = segment, let marker = dropMarker {
                let start = segmentLines.first.map { $0.isEmpty || $0 == "\r" } == true ? 1 : 0
                var end = start
                while end < segmentLines.count, segmentLines[end].hasPrefix("!["), segmentLines[end].contains(marker) { end += 1 }
                if end > start { segmentLines.removeFirst(end) }
            }
            dropMarker = nil
            if blankBeforeNext, let first = segmentLines.first, !first.isEmpty, first != "\r" { out.append(usesCRLF ? "\r" : "") }
            blankBeforeNext = false
            guard case .cell(let cell) = segment, let edit = edits[cell.number] else {
                out += segmentLines
                continue
            }
            // New lines end as the file's do (CRLF files get their CR back).
            let ending = usesCRLF ? "\r" : ""
            if let block = cell.output {
                out += lines[(cell.lines.lowerBound - 1)..<(block.lines.lowerBound - 1)]
                out += Self.fencedBlock(edit.content, char: block.fenceChar, minimumLength: block.fenceLength, indent: block.indent).map { $0 + ending }
            } else {
                out += lines[(cell.codeLines.lowerBound - 1)..<(cell.codeLines.upperBound - 1)]
                out.append(ending)
                out += Self.fencedBlock(edit.content, char: "`", minimumLength: 3, indent: 0).map { $0 + ending }
            }
            dropMarker = edit.replacesLinesContaining
            if !edit.trailer.isEmpty {
                out.append(ending)
                out += edit.trailer.map { $0 + ending }
                blankBeforeNext = true
            }
        }
        return out.joined(separator: "\n")
    }

    /// Lines of an ```output block holding `content`, with a fence longer than any fence-like
    /// run inside the content, so the block always closes where it should.
    static func fencedBlock(_ content: String, char: Character, minimumLength: Int, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        let body = content.isEmpty ? [] : content.linesSplitAtNewline
        var longest = 0
        for line in body {
            let run = line.drop(while: { $0 == " " }).prefix(while: { $0 == char }).count
            longest = max(longest, run)
        }
        let fence = pad + String(repeating: char, count: max(minimumLength, 3, longest + 1))
        return [fence + "output"] + body.map { $0.isEmpty ? $0 : pad + $0 } + [fence]
    }

    /// True for the info string of an output block: `output`, in any letter case.
    static func isOutputInfo(_ info: String) -> Bool {
        info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first?.lowercased() == "output"
    }

    /// The text between a block's fences, taken from the file's own lines (not cmark's literal,
    /// which turns CR and NUL into other characters): up to `indent` leading spaces removed,
    /// as for the fence, and a CRLF file's final CR of each line.
    static func blockContent(_ lines: ArraySlice<String>, indent: Int, crlf: Bool) -> String {
        lines.map { line -> Substring in
            var l = Substring(line)
            var removed = 0
            while removed < indent, l.first == " " { l = l.dropFirst(); removed += 1 }
            if crlf, l.hasSuffix("\r") { l = l.dropLast() }
            return l
        }.joined(separator: "\n")
    }

    private static func dropFinalNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
