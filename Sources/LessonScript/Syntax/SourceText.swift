/// A cell's source with what is needed to turn byte offsets into lesson positions.
final class SourceText {
    let text: String
    let bytes: [UInt8]
    let file: String
    /// The lesson line of the cell's first line.
    let firstLine: Int
    /// Byte offset of the start of each cell line.
    let lineStarts: [Int]

    init(_ text: String, file: String, firstLine: Int) {
        self.text = text
        self.file = file
        self.firstLine = firstLine
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 10 { starts.append(i + 1) }
        lineStarts = starts
    }

    /// 0-based cell line containing a byte offset.
    private func cellLine(_ offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Lesson line and 1-based column (in characters) of a byte offset.
    func position(_ offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, bytes.count))
        let line = cellLine(clamped)
        let prefix = bytes[lineStarts[line]..<clamped]
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return (firstLine + line, column)
    }

    func location(_ offset: Int) -> SourceLocation {
        let p = position(offset)
        return SourceLocation(file: file, line: p.line, column: p.column)
    }

    /// `line:column` in the lesson, for messages that point at another place.
    func shortPosition(_ offset: Int) -> String {
        let p = position(offset)
        return "\(p.line):\(p.column)"
    }

    /// The text of the cell line containing a byte offset, without its line break.
    func lineText(at offset: Int) -> String {
        let line = cellLine(max(0, min(offset, bytes.count)))
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        if end > start && bytes[end - 1] == 13 { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }
}
