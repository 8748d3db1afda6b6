import Foundation

/// `check --update` / `run --update`: writes fresh ```output blocks into the lesson file.
///
/// It runs after the whole lesson ran, rewrites only the output blocks of cells that have a
/// result worth recording, and replaces the file atomically; every other byte stays as it was.
/// Every cell that ran successfully gets its fresh output, `nondeterministic` cells included:
/// they are never compared, but after an edit their old block would otherwise describe code
/// that is no longer there. Cells that are not rewritten: `skip` cells and cells that did not
/// run, failed or timed out (their old block stays).
///
/// The write follows a symlinked lesson to its target, keeps the file's mode, is flushed to
/// disk, and is refused when the file changed on disk after it was read.
public enum LessonUpdater {
    /// The new output-block texts, by cell number, for the cells worth recording.
    public static func edits(for document: LessonDocument, runs: [CellRun]) -> [Int: LessonDocument.OutputEdit] {
        var edits: [Int: LessonDocument.OutputEdit] = [:]
        for (cell, run) in zip(document.cells, runs) {
            guard let text = recordableOutput(cell: cell, run: run) else { continue }
            if cell.output == nil, text.isEmpty { continue }
            if cell.output?.content == text { continue }
            edits[cell.number] = LessonDocument.OutputEdit(content: text)
        }
        return edits
    }

    /// The text to record for a cell, or nil when its run should not be recorded.
    static func recordableOutput(cell: LessonDocument.Cell, run: CellRun) -> String? {
        guard !cell.options.skip else { return nil }
        switch run.status {
        case .succeeded: return OutputText.text(of: run.outputs)
        case .unexpectedSuccess, .failed, .timedOut, .notRun: return nil
        }
    }

    /// The lesson's text with its output blocks updated; nil when nothing changes.
    public static func updatedText(document: LessonDocument, runs: [CellRun]) -> String? {
        let edits = edits(for: document, runs: runs)
        return edits.isEmpty ? nil : document.rewritten(edits: edits)
    }

    /// Rewrites the lesson file in place when anything changed. Returns the numbers of the
    /// cells whose block was written. `document` may be an edit of the file as read
    /// (`onDisk`; the live preview's Save): then its text is written even when no output changed.
    @discardableResult
    public static func update(document: LessonDocument, runs: [CellRun], onDisk: LessonDocument? = nil) throws -> [Int] {
        let edits = edits(for: document, runs: runs)
        let read = onDisk ?? document
        guard !edits.isEmpty || read.text != document.text else { return [] }
        // Through a symlink to the lesson itself, flushed to disk, and only if nobody saved
        // the file since it was read (the run may have taken minutes).
        let options = AtomicFile.Options(followSymlink: true, durable: true,
                                         expectedCurrentContent: Data(read.text.utf8))
        do {
            try AtomicFile.write(document.rewritten(edits: edits), to: URL(fileURLWithPath: document.path), options: options)
        } catch is AtomicFile.ChangedOnDisk {
            throw LessonInputError(file: document.path, line: 0,
                message: "the lesson changed on disk while it ran, so its outputs were not written (run the command again to record them)")
        }
        return edits.keys.sorted()
    }
}
