import Foundation
import LessonScript

/// Writes `output/NAME.md`: the lesson as written, with a fresh ```output block after every
/// cell that ran and, after the block, a link to each image (PNG) and plot (SVG) it showed.
/// The result is itself a lesson whose `check` passes when the lesson passed: the output
/// blocks are exactly what `check` compares against.
public enum MarkdownRenderer {
    public static func render(_ result: LessonResult) -> String {
        result.document.rewritten(edits: edits(for: result))
    }

    /// The fresh output block (and links) of every cell that ran, by cell number.
    static func edits(for result: LessonResult) -> [Int: LessonDocument.OutputEdit] {
        let names = result.document.artifactNames
        var edits: [Int: LessonDocument.OutputEdit] = [:]
        for (cell, run) in zip(result.document.cells, result.runs) {
            let content: String
            switch run.status {
            case .notRun:
                continue
            case .succeeded, .unexpectedSuccess:
                content = OutputText.text(of: run.outputs)
            case .failed(let message):
                content = OutputText.text(of: run.outputs, error: message)
            case .timedOut(let seconds):
                content = OutputText.text(of: run.outputs, error: "error: \(CellTimeout(seconds: seconds))")
            }
            let trailer = links(for: run, names: names)
            if content.isEmpty, trailer.isEmpty, cell.output == nil { continue }
            edits[cell.number] = LessonDocument.OutputEdit(content: content, trailer: trailer,
                                                           replacesLinesContaining: linkMarker(cellID: cell.id, names: names))
        }
        return edits
    }

    /// `![TITLE](slug/cell-k.png)` for each image and `![TITLE](slug/cell-k.svg)` for each
    /// plot, relative to the rendered Markdown file.
    static func links(for run: CellRun, names: ArtifactNames) -> [String] {
        names.artifacts(of: run.outputs, cellID: run.id).map { artifact in
            guard case .rich(let rich) = run.outputs[artifact.outputIndex] else { return "" }
            let title: String
            switch rich {
            case .image(let image): title = image.title
            case .plot(let plot): title = plot.title
            case .diagram(let diagram): title = diagram.title
            case .value, .table: title = ""
            }
            return "![\(escapeAlt(title))](\(artifact.file))"
        }
    }

    /// The part every image or plot link of a cell contains: `](slug/cellID-`.
    static func linkMarker(cellID: String, names: ArtifactNames) -> String {
        "](\(names.slug)/\(ArtifactNames.sanitize(cellID, fallback: "cell"))-"
    }

    private static func escapeAlt(_ text: String) -> String {
        var out = ""
        for c in text {
            if "[]\\*_`<>".contains(c) { out.append("\\") }
            out.append(c == "\n" ? " " : c)
        }
        return out
    }
}
