import Foundation
import LessonScript
import TensorEngine

extension Lessonbook {
    /// `lessonbook run LESSON [--cell ID|N] [--update]`.
    ///
    /// Without `cell`: runs the whole lesson (a `.swift` file is a one-cell lesson) and prints
    /// every cell's output on stdout. With `cell`: runs the lesson up to that cell, prints its
    /// output, and puts its fresh output into `output/NAME.md` and `.html` (the other cells keep
    /// what the last render wrote). `update` writes the new output back into the lesson.
    ///
    /// The earlier cells are not re-executed when a snapshot of the state before the cell (or
    /// before an earlier one) is stored under `.lessonbook/cache/` for the same seed and
    /// earlier cells (`SnapshotKey`): the run restores the latest one and goes on from there,
    /// and the restored cells keep the output the last render gave them. Every run saves such
    /// snapshots (`LessonExecutor(snapshots:)`); results are the same either way.
    public static func run(path: String, cell selector: String? = nil, update: Bool = false,
                           output: String = "output", console: Console = Console(),
                           executor: () -> LessonExecutor = { LessonExecutor(snapshots: .workingDirectory) }) throws -> Int32 {
        guard FileManager.default.fileExists(atPath: path) else { throw UsageError("no such lesson: \(path)") }
        let isScript = path.hasSuffix(".swift")
        if isScript, update { throw UsageError("--update writes output blocks into a Markdown lesson; \(path) is a script") }
        let document: LessonDocument
        do { document = try loadDocument(path: path) } catch {
            console.err("\(error)\n")
            return 1
        }
        for warning in document.warnings { console.err("\(warning)\n") }

        guard let selector else {
            let result = executor().run(document)
            let many = document.cells.count > 1
            for run in result.runs {
                let text = OutputText.text(of: run.outputs)
                if many, case .notRun = run.status { continue }
                if many { console.out("── cell \(run.id) ──\n") }
                if !text.isEmpty { console.out(text + "\n") }
            }
            reportProblems(result, console: console)
            if update { try LessonUpdater.update(document: document, runs: result.runs) }
            return result.status == .failed ? 1 : 0
        }

        let target = try cell(selector, in: document)
        if target.options.skip { console.err("\(path):\(target.fenceLine): note: cell \(target.id) is marked skip; running it anyway\n") }
        var runnable = document
        runnable.unskip(cellNumber: target.number)
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        let previousRender = isScript ? nil : ArtifactNames.url(of: document.artifactNames.markdownFile, in: folder)
            .flatMap { try? LessonDocument.load(path: $0.path) }
        // Restored cells show what the last render gave them: without one, run them all.
        let result = executor().run(runnable, lastCell: target.number, resume: isScript || previousRender != nil)
        reportProblems(result, console: console)
        let run = result.runs[target.number - 1]
        let text = OutputText.text(of: run.outputs)
        if !text.isEmpty { console.out(text + "\n") }

        if !isScript {
            let names = document.artifactNames
            let previous = previousRender
            let restored = result.restoredThrough ?? 0
            var merged = LessonResult(document: document, runs: result.runs, status: result.status, seconds: result.seconds)
            merged.runs = result.runs.enumerated().map { index, run in
                guard index >= target.number || index < restored, case .notRun = run.status, let previous else { return run }
                return previousRun(of: document.cells[index], in: previous, names: names, folder: folder) ?? run
            }
            let markdown = MarkdownRenderer.render(result, keepingLaterCellsFrom: previous, after: target.number, restoredThrough: restored)
            do {
                try writeArtifacts(merged, to: folder, markdown: markdown)
            } catch {
                console.err("\(path): cannot write the rendered lesson: \(error)\n")
            }
            if update {
                var onlyTarget = result.runs
                for index in onlyTarget.indices where index != target.number - 1 {
                    onlyTarget[index].status = .notRun(reason: "not requested")
                }
                try LessonUpdater.update(document: document, runs: onlyTarget)
            }
        }
        switch run.status {
        case .succeeded: return 0
        default: return 1
        }
    }

    /// A later cell's run as the last render recorded it in `output/NAME.md`: its text, and
    /// its images read back from the PGM files of record (plots stay as their text line).
    static func previousRun(of cell: LessonDocument.Cell, in previous: LessonDocument, names: ArtifactNames, folder: URL) -> CellRun? {
        guard let old = previous.cells.first(where: { $0.id == cell.id }), let block = old.output else { return nil }
        var outputs: [CellOutput] = []
        var text = ""
        var images = 0
        for line in block.content.linesSplitAtNewline {
            if line.hasPrefix("[image: "), line.hasSuffix("]") {
                images += 1
                let inner = line.dropFirst("[image: ".count).dropLast()
                let title = inner.range(of: ", ", options: .backwards).map { String(inner[..<$0.lowerBound]) } ?? ""
                if let url = ArtifactNames.url(of: names.imagePGM(cellID: cell.id, index: images), in: folder),
                   let pixels = PGMFile.read(url) {
                    if !text.isEmpty { outputs.append(.text(text)); text = "" }
                    outputs.append(.rich(.image(OutputImage(title: title, pixels: pixels))))
                    continue
                }
            }
            text += line + "\n"
        }
        if !text.isEmpty { outputs.append(.text(text)) }
        return CellRun(id: cell.id, line: cell.fenceLine, outputs: outputs, status: .succeeded, seconds: 0)
    }
}

/// Reads back the binary PGM (P5, 8-bit) files `render` writes.
enum PGMFile {
    static func read(_ url: URL) -> Tensor? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let bytes = [UInt8](data)
        var index = 0
        func token() -> String? {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") { while index < bytes.count, bytes[index] != 10 { index += 1 } }
                else if bytes[index] == 32 || (9...13).contains(bytes[index]) { index += 1 }
                else { break }
            }
            let start = index
            while index < bytes.count, !(bytes[index] == 32 || (9...13).contains(bytes[index])) { index += 1 }
            return start < index ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }
        guard token() == "P5", let w = token().flatMap(Int.init), let h = token().flatMap(Int.init),
              let maxValue = token().flatMap(Int.init), maxValue > 0, maxValue < 256, w > 0, h > 0 else { return nil }
        index += 1
        guard bytes.count - index >= w * h else { return nil }
        let scalars = bytes[index..<(index + w * h)].map { Float($0) }
        return try? Tensor(shape: [h, w], scalars: scalars)
    }
}

extension LessonDocument {
    /// The document with `skip` removed from one cell (so `run --cell` can run a skipped cell).
    mutating func unskip(cellNumber: Int) {
        segments = segments.map { segment in
            guard case .cell(var cell) = segment, cell.number == cellNumber else { return segment }
            cell.options.skip = false
            return .cell(cell)
        }
    }
}

extension MarkdownRenderer {
    /// The rendered Markdown after `run --cell`: cells up to `after` from `result`, later cells
    /// as `previous` (the last render) had them, with their image and plot links.
    /// Cells up to `restoredThrough` (restored from a snapshot, not run) are carried too.
    static func render(_ result: LessonResult, keepingLaterCellsFrom previous: LessonDocument?, after cellNumber: Int,
                       restoredThrough: Int = 0) -> String {
        guard let previous else { return render(result) }
        var runs = result.runs
        var carried: [Int: LessonDocument.OutputEdit] = [:]
        for cell in result.document.cells where cell.number > cellNumber || cell.number <= restoredThrough {
            guard let (index, old) = previous.segments.enumerated().first(where: { _, s in
                if case .cell(let c) = s { return c.id == cell.id } else { return false }
            }), case .cell(let oldCell) = old, let block = oldCell.output else { continue }
            var trailer: [String] = []
            let prefix = linkMarker(cellID: cell.id, names: result.document.artifactNames)
            if index + 1 < previous.segments.count, case .prose(let range) = previous.segments[index + 1] {
                var lines = Array(range).map { previous.lines[$0 - 1] }
                if lines.first?.isEmpty == true { lines.removeFirst() }
                trailer = Array(lines.prefix { $0.hasPrefix("![") && $0.contains(prefix) })
            }
            carried[cell.number] = LessonDocument.OutputEdit(content: block.content, trailer: trailer, replacesLinesContaining: prefix)
            runs[cell.number - 1].status = .notRun(reason: "carried")
        }
        var edits = edits(for: LessonResult(document: result.document, runs: runs, status: result.status, seconds: result.seconds))
        for (number, edit) in carried { edits[number] = edit }
        return result.document.rewritten(edits: edits)
    }
}
