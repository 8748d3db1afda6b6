import Foundation

extension LessonDocument {
    /// The lesson with cell `number`'s code replaced by `source` (fences, options and output
    /// block kept), parsed again: what the live preview runs and saves for an edited cell.
    /// Throws when there is no such cell or the new code would change the lesson's cells
    /// (a line that closes the fence early, say).
    public func replacingSource(ofCell number: Int, with source: String) throws -> LessonDocument {
        guard let cell = cells.first(where: { $0.number == number }) else {
            throw LessonInputError(file: path, line: 0, message: "the lesson has no cell \(number)")
        }
        // The code lies between the opening fence and the closing one (a cell left open at the
        // end of the file has no closing fence).
        let first = cell.codeLines.lowerBound          // 0-based index of the first code line
        var end = cell.codeLines.upperBound - 1        // 0-based index past the block
        let last = lines[end - 1].trimmingCharacters(in: .whitespaces)
        if end - 1 >= first, last.hasPrefix("```") || last.hasPrefix("~~~") { end -= 1 }
        let ending = usesCRLF ? "\r" : ""
        var code = source.replacingOccurrences(of: "\r\n", with: "\n")
        if code.hasSuffix("\n") { code.removeLast() }
        let newLines = code.isEmpty ? [] : code.linesSplitAtNewline.map { $0 + ending }
        var edited = lines
        edited.replaceSubrange(first..<end, with: newLines)
        let document = try LessonDocument(text: edited.joined(separator: "\n"), path: path)
        guard document.cells.count == cells.count,
              document.cells[number - 1].source.trimmingCharacters(in: .newlines) == code.trimmingCharacters(in: .newlines) else {
            throw LessonInputError(file: path, line: cell.fenceLine,
                                   message: "the edited code of cell \(cell.id) would change the lesson's cells (does a line close its fence?)")
        }
        return document
    }
}
