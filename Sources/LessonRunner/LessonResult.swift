import Foundation

/// A lesson after running, with the document it came from.
public struct LessonResult {
    public var document: LessonDocument
    /// One run per cell of `document`, in order.
    public var runs: [CellRun]
    public var status: LessonStatus
    public var seconds: Double
    /// The numbers of the cells that were executed.
    public var executedCells: [Int] = []
    /// The numbers of the cells whose run came from their cached record.
    public var reusedCells: [Int] = []

    public init(document: LessonDocument, runs: [CellRun], status: LessonStatus, seconds: Double) {
        self.document = document; self.runs = runs; self.status = status; self.seconds = seconds
    }

    /// `executed 1 cell, reused 7`: what every command reports.
    public var executionSummary: String {
        "executed \(executedCells.count) cell\(executedCells.count == 1 ? "" : "s"), reused \(reusedCells.count)"
    }

    /// A remark shown at the top of the page (a lesson rendered from old outputs).
    public var note: String?

    /// The lesson as the HTML renderer draws it: prose as written (front matter and the old
    /// output blocks left out) and every cell with its fresh run.
    public var rendered: RenderedLesson {
        var blocks: [RenderedLesson.Block] = []
        if let note { blocks.append(.prose("> [!NOTE]\n> \(note)\n")) }
        var runIndex = 0
        for segment in document.segments {
            switch segment {
            case .frontMatter: continue
            case .prose(let range):
                blocks.append(.prose(document.text(of: range), firstLine: range.lowerBound))
            case .cell(let cell):
                blocks.append(.cell(source: cell.source, options: cell.options, run: runs[runIndex]))
                runIndex += 1
            }
        }
        return RenderedLesson(title: document.title, sourcePath: document.path, slug: document.artifactNames.slug,
                              blocks: blocks, status: status, seconds: seconds, description: document.frontMatter.description)
    }
}

extension LessonResult {
    /// The result with the cells after the one a run stopped at (`notRequested`), or those
    /// `replacing` picks, taken from `recorded` where it has them. Cells stopped by a failure
    /// are never filled: their records, however valid, are not what this run would show.
    func filled(with recorded: [CellRun?], replacing: (CellStatus) -> Bool = { $0 == .notRequested }) -> LessonResult {
        var result = self
        for (index, cell) in document.cells.enumerated() where index < recorded.count {
            guard replacing(runs[index].status), !cell.options.skip, let run = recorded[index] else { continue }
            result.runs[index] = run
        }
        return result
    }

    /// A skipped lesson as a page can still show it: from its valid records when every cell
    /// has one, else from the output blocks written in the lesson; with a note saying so.
    func fromRecords(_ recorded: [CellRun?]) -> LessonResult {
        guard case .skipped(let reason) = status else { return self }
        var result = self
        let cells = document.cells
        if !cells.isEmpty, recorded.count == cells.count, recorded.allSatisfy({ $0 != nil }) {
            result = filled(with: recorded) { _ in true }
            result.note = "This lesson was not run (\(reason)); its outputs are from its last run."
            return result
        }
        for (index, cell) in cells.enumerated() {
            guard let block = cell.output, !cell.options.skip else { continue }
            result.runs[index] = CellRun(id: cell.id, line: cell.fenceLine, outputs: [.text(block.content)], status: .succeeded, seconds: 0)
        }
        result.note = "This lesson was not run (\(reason)); its outputs are the ones recorded in the lesson."
        return result
    }
}
