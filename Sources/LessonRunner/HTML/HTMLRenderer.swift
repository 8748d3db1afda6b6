import Foundation
import LessonScript

/// Renders a run lesson as one self-contained HTML page: prose through CommonMark with its
/// TeX protected for KaTeX, cells syntax-highlighted, outputs set apart from the code
/// (printed text, values, tables, images as inline PNG data, plots as inline SVG), and each
/// failing cell's diagnostic in red. Everything a cell produced is HTML-escaped.
public enum HTMLRenderer {
    /// Page options. The defaults are what `lessonbook render` writes.
    public struct Options {
        /// Show each cell's and the lesson's run time (turn off for byte-stable golden files).
        public var includeTimings: Bool
        /// Folder of the KaTeX files relative to the page (`KaTeXAssets.relativeFolder`), or
        /// nil to leave the TeX as written (no script, no stylesheet).
        public var katexFolder: String?
        /// Link to the course index, relative to the page; nil for none.
        public var indexLink: String?

        public init(includeTimings: Bool = true,
                    katexFolder: String? = KaTeXAssets.isAvailable() ? KaTeXAssets.relativeFolder : nil,
                    indexLink: String? = "index.html") {
            self.includeTimings = includeTimings; self.katexFolder = katexFolder; self.indexLink = indexLink
        }
    }

    /// The page for `lesson`; `artifacts` names the PNG/PGM/SVG files linked from captions.
    public static func render(_ lesson: RenderedLesson, artifacts: ArtifactNames, options: Options = Options()) -> String {
        var body = ""
        var sawMath = false
        var sawTitle = false
        for block in lesson.blocks {
            switch block {
            case .prose(let markdown):
                let (protected, spans) = MathSpans.protect(markdown)
                if !spans.isEmpty { sawMath = true }
                let html = MathSpans.restore(Cmark.renderHTML(protected), spans: spans)
                if html.contains("<h1>") || html.contains("<h1 ") { sawTitle = true }
                body += html
            case .cell(let source, let hidden, let run):
                body += cellHTML(source: source, hidden: hidden, run: run, artifacts: artifacts, options: options)
            }
        }
        if !sawTitle && !lesson.title.isEmpty {
            body = "<h1>\(HTMLEscaping.escape(lesson.title))</h1>\n" + body
        }
        if case .skipped(let reason) = lesson.status {
            body = "<div class=\"lb-note\" role=\"note\">This lesson was not run: \(HTMLEscaping.escape(reason))</div>\n" + body
        }
        let katex = sawMath ? options.katexFolder : nil

        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<meta name=\"generator\" content=\"lessonbook\">\n"
        page += "<title>\(HTMLEscaping.escape(lesson.title.isEmpty ? artifacts.slug : lesson.title))</title>\n"
        if let katex {
            page += "<link rel=\"stylesheet\" href=\"\(HTMLEscaping.attribute(katex))/katex.min.css\">\n"
        }
        page += "<style>\n\(PageStyle.css)</style>\n</head>\n"
        page += "<body data-status=\"\(statusName(lesson.status))\">\n"
        page += topBar(lesson, options: options)
        page += "<main class=\"lb-lesson\">\n\(body)</main>\n"
        page += "<footer class=\"lb-footer\">Rendered by lessonbook from <code>\(HTMLEscaping.escape(lesson.sourcePath))</code>"
        if options.includeTimings { page += " · ran in \(formatSeconds(lesson.seconds))" }
        page += ".</footer>\n"
        if let katex {
            page += "<script src=\"\(HTMLEscaping.attribute(katex))/katex.min.js\" defer></script>\n"
            page += "<script>\n\(mathScript)</script>\n"
        }
        page += "</body>\n</html>\n"
        return page
    }

    /// Typesets every `.math` element once KaTeX (deferred) has loaded. Without KaTeX the
    /// TeX stays on the page as written; a formula KaTeX cannot parse is shown in red by
    /// KaTeX itself (`throwOnError: false`) instead of stopping the others.
    static let mathScript = """
    document.addEventListener("DOMContentLoaded", function () {
      if (typeof katex === "undefined") { return; }
      document.querySelectorAll(".math").forEach(function (el) {
        var tex = el.textContent;
        try {
          katex.render(tex, el, { displayMode: el.classList.contains("display"), throwOnError: false });
        } catch (e) {
          el.textContent = tex;
        }
      });
    });

    """

    // MARK: - Page parts

    static func topBar(_ lesson: RenderedLesson, options: Options) -> String {
        var html = "<header class=\"lb-topbar\"><div class=\"lb-topbar-inner\">"
        if let index = options.indexLink {
            html += "<a href=\"\(HTMLEscaping.attribute(index))\">← All lessons</a>"
        } else {
            html += "<span></span>"
        }
        html += "<span>"
        if options.includeTimings { html += "\(formatSeconds(lesson.seconds)) · " }
        html += "<span class=\"lb-badge \(statusName(lesson.status))\">\(statusName(lesson.status))</span></span>"
        html += "</div></header>\n"
        return html
    }

    static func statusName(_ status: LessonStatus) -> String {
        switch status {
        case .passed: return "passed"
        case .failed: return "failed"
        case .skipped: return "skipped"
        }
    }

    /// `0.42 s`, `12.3 s`, `2 min 05 s`.
    public static func formatSeconds(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    // MARK: - Cells

    static func cellHTML(source: String, hidden: Bool, run: CellRun, artifacts: ArtifactNames, options: Options) -> String {
        let anchor = "cell-" + ArtifactNames.sanitize(run.id, fallback: "cell")
        var html = "<section class=\"lb-cell\" id=\"\(HTMLEscaping.attribute(anchor))\" data-cell=\"\(HTMLEscaping.attribute(run.id))\">\n"
        if !hidden {
            let name = run.id.allSatisfy(\.isNumber) ? "cell \(run.id)" : run.id
            html += "<div class=\"lb-cell-code\"><span class=\"lb-label\">\(HTMLEscaping.escape(name))"
            if options.includeTimings, case .succeeded = run.status, run.seconds >= 0.05 {
                html += " <span class=\"lb-time\">· \(formatSeconds(run.seconds))</span>"
            }
            html += "</span><pre><code class=\"language-swift\">\(SyntaxHighlighter.highlight(trimmingFinalNewline(source)))</code></pre></div>\n"
        }
        let outputs = outputsHTML(run.outputs, cellID: run.id, artifacts: artifacts)
        if !outputs.isEmpty {
            html += "<div class=\"lb-output\" role=\"group\" aria-label=\"output\"><span class=\"lb-label\">output</span>\n\(outputs)</div>\n"
        }
        switch run.status {
        case .succeeded:
            break
        case .failed(let message):
            html += errorHTML(label: "error", message: message)
        case .timedOut(let seconds):
            html += errorHTML(label: "timed out", message: "The cell was stopped after \(formatSeconds(seconds)): it ran past its timeout.")
        case .unexpectedSuccess:
            html += errorHTML(label: "expected an error", message: "This cell is marked expect-error, but it ran without an error.")
        case .notRun(let reason):
            html += "<div class=\"lb-note\">Not run: \(HTMLEscaping.escape(reason))</div>\n"
        }
        html += "</section>\n"
        return html
    }

    static func errorHTML(label: String, message: String) -> String {
        "<div class=\"lb-error\" role=\"alert\"><span class=\"lb-label\">\(HTMLEscaping.escape(label))</span><pre>\(HTMLEscaping.escape(trimmingFinalNewline(message)))</pre></div>\n"
    }

    static func trimmingFinalNewline(_ text: String) -> String {
        var text = text
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// The cell's outputs in order; consecutive printed text is one block.
    static func outputsHTML(_ outputs: [CellOutput], cellID: String, artifacts: ArtifactNames) -> String {
        var html = ""
        var pendingText = ""
        var imageIndex = 0
        var plotIndex = 0
        func flushText() {
            guard !pendingText.isEmpty else { return }
            html += "<pre class=\"lb-text\">\(HTMLEscaping.escape(trimmingFinalNewline(pendingText)))</pre>\n"
            pendingText = ""
        }
        for output in outputs {
            switch output {
            case .text(let text):
                pendingText += text
            case .rich(let rich):
                flushText()
                switch rich {
                case .value(let text):
                    html += "<pre class=\"lb-value\">\(HTMLEscaping.escape(trimmingFinalNewline(text)))</pre>\n"
                case .table(let table):
                    html += tableHTML(table)
                case .image(let image):
                    imageIndex += 1
                    html += imageHTML(image, png: artifacts.imagePNG(cellID: cellID, index: imageIndex),
                                      pgm: artifacts.imagePGM(cellID: cellID, index: imageIndex))
                case .plot(let plot):
                    plotIndex += 1
                    html += plotHTML(plot, svg: artifacts.plotSVG(cellID: cellID, index: plotIndex))
                }
            }
        }
        flushText()
        return html
    }

    // MARK: - Rich outputs

    static func tableHTML(_ table: OutputTable) -> String {
        let columns = max(table.headers.count, table.rows.map(\.count).max() ?? 0)
        let footerStart = table.footerStart.map { max(0, min($0, table.rows.count)) } ?? table.rows.count
        let body = table.rows[..<footerStart]
        // A column whose body cells are all numbers is right-aligned.
        let numeric = (0..<columns).map { c in
            let cells = body.compactMap { c < $0.count ? $0[c] : nil }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            return !cells.isEmpty && cells.allSatisfy(looksNumeric)
        }
        func cell(_ tag: String, _ text: String, _ c: Int) -> String {
            let cls = c < numeric.count && numeric[c] ? " class=\"lb-num\"" : ""
            return "<\(tag)\(cls)>\(HTMLEscaping.escape(text))</\(tag)>"
        }
        func row(_ values: [String], tag: String) -> String {
            var out = "<tr>"
            for c in 0..<columns { out += cell(tag, c < values.count ? values[c] : "", c) }
            return out + "</tr>\n"
        }
        var html = "<div class=\"lb-table-wrap\"><table>\n"
        if let title = table.title, !title.isEmpty { html += "<caption>\(HTMLEscaping.escape(title))</caption>\n" }
        if !table.headers.isEmpty {
            html += "<thead>\n" + row(table.headers, tag: "th") + "</thead>\n"
        }
        html += "<tbody>\n"
        for r in body { html += row(r, tag: "td") }
        html += "</tbody>\n"
        if footerStart < table.rows.count {
            html += "<tfoot>\n"
            for r in table.rows[footerStart...] { html += row(r, tag: "td") }
            html += "</tfoot>\n"
        }
        return html + "</table></div>\n"
    }

    static func looksNumeric(_ text: String) -> Bool {
        var t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if t.hasSuffix("%") { t.removeLast() }
        return Double(t) != nil
    }

    static func imageHTML(_ image: OutputImage, png: String, pgm: String) -> String {
        let title = image.title
        let laid: GrayImage
        let data: Data
        do {
            laid = try ImageLayout.layout(image.pixels)
            data = try ImageWriter.pngData(laid)
        } catch {
            return errorHTML(label: "image", message: "\(title.isEmpty ? "image" : title): \(error)")
        }
        let w = laid.width * laid.displayScale, h = laid.height * laid.displayScale
        let alt = title.isEmpty ? "image, \(laid.sizeDescription)" : "\(title), \(laid.sizeDescription)"
        var html = "<figure class=\"lb-figure lb-image\">"
        html += "<img src=\"data:image/png;base64,\(data.base64EncodedString())\" width=\"\(w)\" height=\"\(h)\" alt=\"\(HTMLEscaping.attribute(alt))\">"
        html += "<figcaption>"
        if !title.isEmpty { html += "<span class=\"lb-caption-title\">\(HTMLEscaping.escape(title))</span> · " }
        html += "\(HTMLEscaping.escape(laid.sizeDescription)) · <a href=\"\(HTMLEscaping.attribute(png))\">png</a> · <a href=\"\(HTMLEscaping.attribute(pgm))\">pgm</a>"
        html += "</figcaption></figure>\n"
        return html
    }

    static func plotHTML(_ plot: OutputPlot, svg: String) -> String {
        var html = "<figure class=\"lb-figure lb-plot-figure\">"
        html += SVGPlot.render(plot)
        html += "<figcaption>"
        let points = plot.series.map { min($0.x.count, $0.y.count) }.reduce(0, +)
        html += plot.series.count == 1 ? "\(points) points" : "\(plot.series.count) series, \(points) points"
        html += " · <a href=\"\(HTMLEscaping.attribute(svg))\">svg</a></figcaption></figure>\n"
        return html
    }
}
