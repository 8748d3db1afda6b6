import Foundation
import LessonScript

/// Renders a run lesson as an HTML page: prose through GitHub-flavoured Markdown with its TeX
/// protected for KaTeX and its headings given ids, cells syntax-highlighted, outputs set apart
/// from the code (printed text, values, tables, images as inline PNG data, plots as inline
/// SVG), and each failing cell's diagnostic in red. Everything a cell produced is
/// HTML-escaped. A student page carries no CI detail (status, run times, cell numbers, paths):
/// those are on the report page.
public enum HTMLRenderer {
    /// Page options. The defaults give a lone page; `lessonbook render` adds the site.
    public struct Options {
        /// Folder of the KaTeX files relative to the page (`KaTeXAssets.relativeFolder`), or
        /// nil to leave the TeX as written (no script, no stylesheet).
        public var katexFolder: String?
        /// The course the page belongs to (sidebar, search, previous/next); nil for a lone page.
        public var site: SiteNavigation?
        /// Inline the stylesheet (golden tests leave it out: it is tested once, on its own).
        public var includeStylesheet: Bool
        /// Rewrites every link and image destination of the prose; throws to reject one.
        public var rewriteURL: ((Cmark.Reference) throws -> String)?
        /// KaTeX (with its fonts) and the page script inside the page, so one HTML file stands
        /// alone: the search box stays hidden (it needs the course's index), all else works.
        public var selfContained = false

        public init(katexFolder: String? = KaTeXAssets.isAvailable() ? KaTeXAssets.relativeFolder : nil,
                    site: SiteNavigation? = nil, includeStylesheet: Bool = true,
                    rewriteURL: ((Cmark.Reference) throws -> String)? = nil) {
            self.katexFolder = katexFolder; self.site = site; self.includeStylesheet = includeStylesheet
            self.rewriteURL = rewriteURL
        }
    }

    /// A rendered page and the text of its sections, for the search index.
    public struct Page {
        public var html: String
        public var sections: [SearchIndex.Section]
    }

    /// The page for `lesson`; `artifacts` names the PNG/PGM/SVG files linked from captions.
    /// Prose links are left as written (`page` rewrites them).
    public static func render(_ lesson: RenderedLesson, artifacts: ArtifactNames, options: Options = Options()) -> String {
        var options = options
        options.rewriteURL = nil
        return (try? page(lesson, artifacts: artifacts, options: options).html) ?? ""
    }

    /// The page for `lesson`; throws what `options.rewriteURL` throws, with the lesson's line.
    public static func page(_ lesson: RenderedLesson, artifacts: ArtifactNames, options: Options) throws -> Page {
        var cells: [String] = []
        var pieces: [ProsePiece] = []
        for block in lesson.blocks {
            switch block {
            case .prose(let markdown, let firstLine):
                pieces.append(.prose(markdown, firstLine: firstLine))
            case .cell(let source, let cellOptions, let run):
                pieces.append(.placeholder(cells.count))
                cells.append(cellHTML(source: source, options: cellOptions, run: run, artifacts: artifacts))
            }
        }
        let prose = try ProseDocument.render(pieces, file: lesson.sourcePath, rewriteURL: options.rewriteURL)
        var body = prose.html(with: cells)
        if !prose.headings.contains(where: { $0.level == 1 }) && !lesson.title.isEmpty {
            body = "<h1>\(HTMLEscaping.escape(lesson.title))</h1>\n" + body
        }
        if case .skipped(let reason) = lesson.status {
            body = "<div class=\"lb-note\" role=\"note\">This lesson was not run: \(HTMLEscaping.escape(reason))</div>\n" + body
        }
        if let site = options.site { body += site.pager(current: artifacts.htmlFile) }
        let title = lesson.title.isEmpty ? artifacts.slug : lesson.title
        let html = PageShell.render(PageShell.Content(
            title: title, body: body, toc: prose.tableOfContents, mainClass: "lb-lesson",
            currentFile: artifacts.htmlFile, math: prose.hasMath), options: options)
        let sections = SearchIndex.sections(title: title, file: artifacts.htmlFile, html: prose.searchableHTML)
        return Page(html: html, sections: sections)
    }


    static func statusName(_ status: LessonStatus) -> String {
        switch status {
        case .passed: return "passed"
        case .failed: return "failed"
        case .skipped: return "skipped"
        }
    }

    // MARK: - Cells

    /// One cell. `hide` leaves the code out, `fold` puts it under "Show code", `solution` puts
    /// code and output under "Show solution", `hide-output` leaves the output out (an error
    /// always shows). Disclosures are `<details>`, so they work without script.
    static func cellHTML(source: String, options: CellOptions, run: CellRun, artifacts: ArtifactNames) -> String {
        let anchor = "cell-" + ArtifactNames.sanitize(run.id, fallback: "cell")
        var classes = "lb-cell"
        if options.solution { classes += " lb-solution-cell" }
        var html = "<section class=\"\(classes)\" id=\"\(HTMLEscaping.attribute(anchor))\">\n"
        var inner = ""
        if !options.hide {
            let code = "<div class=\"lb-cell-code\"><pre><code class=\"language-swift\">\(SyntaxHighlighter.highlight(trimmingFinalNewline(source)))</code></pre></div>\n"
            inner += options.fold && !options.solution
                ? "<details class=\"lb-fold\"><summary>Show code</summary>\n\(code)</details>\n" : code
        }
        if !options.hideOutput {
            let outputs = outputsHTML(run.outputs, cellID: run.id, artifacts: artifacts)
            if !outputs.isEmpty {
                if options.expectError, case .succeeded = run.status {
                    inner += "<div class=\"lb-output lb-expected-error\" role=\"group\" aria-label=\"expected error\"><span class=\"lb-label\">error (expected)</span>\n\(outputs)</div>\n"
                } else {
                    let varies = options.nondeterministic
                        ? " <span class=\"lb-varies\" title=\"This output depends on the machine and the run; yours may differ.\">· varies between machines</span>" : ""
                    inner += "<div class=\"lb-output\" role=\"group\" aria-label=\"output\"><span class=\"lb-label\">output\(varies)</span>\n\(outputs)</div>\n"
                }
            }
        }
        if let wording = run.status.readerWording {
            if case .notRun = run.status {
                inner += "<div class=\"lb-note\">\(HTMLEscaping.escape(wording.text))</div>\n"
            } else {
                inner += errorHTML(label: wording.label, message: wording.text)
            }
        }
        if options.solution {
            html += "<details class=\"lb-solution\"><summary>Show solution</summary>\n\(inner)</details>\n"
        } else {
            html += inner
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
        var files: [Int: ArtifactNames.Artifact] = [:]
        for artifact in artifacts.artifacts(of: outputs, cellID: cellID) { files[artifact.outputIndex] = artifact }
        // One display scale per cell: every image of a cell is drawn with the same pixel
        // size (the smallest any of them asks for), so a pooled map looks smaller than its input.
        var laidOut: [Int: Result<GrayImage, Error>] = [:]
        for (index, output) in outputs.enumerated() {
            if case .rich(.image(let image)) = output { laidOut[index] = Result { try ImageLayout.layout(image) } }
        }
        let cellScale = laidOut.values.compactMap { try? $0.get().displayScale }.min()
        func flushText() {
            guard !pendingText.isEmpty else { return }
            html += "<pre class=\"lb-text\">\(HTMLEscaping.escape(trimmingFinalNewline(pendingText)))</pre>\n"
            pendingText = ""
        }
        for (index, output) in outputs.enumerated() {
            let file = files[index]?.file ?? ""
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
                    html += imageHTML(image, laidOut: laidOut[index]!, scale: cellScale, png: file, pgm: files[index]?.pgm ?? "")
                case .plot(let plot):
                    html += plotHTML(plot, svg: file)
                case .diagram(let diagram):
                    html += "<figure class=\"lb-figure lb-diagram-figure\"><div class=\"lb-diagram-scroll\">\(TensorDiagram.render(diagram))</div>"
                    html += "<figcaption><span class=\"lb-caption-title\">\(HTMLEscaping.escape(diagram.title))</span> · <a href=\"\(HTMLEscaping.attribute(file))\">svg</a></figcaption></figure>\n"
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
            // "--" (a summary's "none") does not make a column of counts textual.
            let cells = body.compactMap { c < $0.count ? $0[c] : nil }
                .filter { !["", "--", "–", "—"].contains($0.trimmingCharacters(in: .whitespaces)) }
            return !cells.isEmpty && cells.allSatisfy(looksNumeric)
        }
        func cell(_ tag: String, _ text: String, _ c: Int) -> String {
            let cls = c < numeric.count && numeric[c] ? " class=\"lb-num\"" : ""
            return "<\(tag)\(cls)>\(HTMLEscaping.escape(text))</\(tag)>"
        }
        // A shape table's rows carry their depth, so the page script can fold nested blocks.
        let depths = body.map { $0.first.flatMap(treeDepth) }
        let foldable = depths.contains { ($0 ?? 0) >= 2 }
        func row(_ values: [String], tag: String, depth: Int? = nil) -> String {
            var out = foldable && depth != nil ? "<tr data-depth=\"\(depth!)\">" : "<tr>"
            for c in 0..<columns { out += cell(tag, c < values.count ? values[c] : "", c) }
            return out + "</tr>\n"
        }
        var html = foldable ? "<div class=\"lb-table-wrap\"><table class=\"lb-tree\">\n" : "<div class=\"lb-table-wrap\"><table>\n"
        if let title = table.title, !title.isEmpty { html += "<caption>\(HTMLEscaping.escape(title))</caption>\n" }
        if !table.headers.isEmpty {
            html += "<thead>\n" + row(table.headers, tag: "th") + "</thead>\n"
        }
        html += "<tbody>\n"
        for (r, depth) in zip(body, depths) { html += row(r, tag: "td", depth: depth) }
        html += "</tbody>\n"
        if footerStart < table.rows.count {
            html += "<tfoot>\n"
            for r in table.rows[footerStart...] { html += row(r, tag: "td") }
            html += "</tfoot>\n"
        }
        return html + "</table></div>\n"
    }

    /// The depth of a shape-table row from its tree drawing: `Sequential` 0, `├─Conv2d` 1,
    /// `│    └─ReLU` 2; nil for a cell that is not part of a tree.
    static func treeDepth(_ label: String) -> Int? {
        let scalars = Array(label.unicodeScalars)
        guard let branch = scalars.firstIndex(where: { $0 == "├" || $0 == "└" }) else {
            return scalars.first.map { $0 == " " || $0 == "│" } == true ? nil : 0
        }
        guard branch % 5 == 0, scalars[..<branch].allSatisfy({ $0 == " " || $0 == "│" }) else { return nil }
        return branch / 5 + 1
    }

    static func looksNumeric(_ text: String) -> Bool {
        var t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if t.hasSuffix("%") { t.removeLast() }
        return Double(t) != nil
    }

    /// An image as `laidOut` (its layout, made once per cell) drawn at `scale`.
    static func imageHTML(_ image: OutputImage, laidOut: Result<GrayImage, Error>, scale: Int? = nil, png: String, pgm: String) -> String {
        let title = image.title
        let laid: GrayImage
        let data: Data
        do {
            laid = try laidOut.get()
            data = try ImageWriter.pngData(laid)
        } catch {
            return errorHTML(label: "image", message: "\(title.isEmpty ? "image" : title): \(error)")
        }
        let pixelSize = min(scale ?? laid.displayScale, laid.displayScale)
        let w = laid.width * pixelSize, h = laid.height * pixelSize
        let alt = title.isEmpty ? "image, \(laid.sizeDescription)" : "\(title), \(laid.sizeDescription)"
        var html = "<figure class=\"lb-figure lb-image\">"
        let img = "<img src=\"data:image/png;base64,\(data.base64EncodedString())\" width=\"\(w)\" height=\"\(h)\" alt=\"\(HTMLEscaping.attribute(alt))\">"
        html += laid.mapCount > 1 && laid.mapCount <= 64 ? "<div class=\"lb-maps\">\(img)\(mapLabels(laid, shape: image.pixels.shape, titles: image.titles))</div>" : img
        html += "<figcaption>"
        if !title.isEmpty { html += "<span class=\"lb-caption-title\">\(HTMLEscaping.escape(title))</span> · " }
        html += HTMLEscaping.escape(laid.sizeDescription)
        if let range = laid.rangeDescription { html += " · <span class=\"lb-range\">\(HTMLEscaping.escape(range))</span>" }
        html += " · <a href=\"\(HTMLEscaping.attribute(png))\">png</a> · <a href=\"\(HTMLEscaping.attribute(pgm))\">pgm</a>"
        html += "</figcaption></figure>\n"
        return html
    }

    /// A small label in the corner of each map of a grid: its channel (`3`), or sample and
    /// channel (`1,3`) for a batch. Placed in percent of the image, so they follow its scaling.
    static func mapLabels(_ laid: GrayImage, shape: [Int], titles: [String]? = nil) -> String {
        let channels = shape.count == 4 && shape[0] > 1 && shape[1] > 1 ? shape[1] : nil
        var html = ""
        for m in 0..<laid.mapCount {
            let x = Double((m % laid.gridColumns) * (laid.mapWidth + 1)) / Double(laid.width) * 100
            let y = Double((m / laid.gridColumns) * (laid.mapHeight + 1)) / Double(laid.height) * 100
            let label = titles.flatMap { m < $0.count ? $0[m] : nil } ?? channels.map { "\(m / $0),\(m % $0)" } ?? "\(m)"
            html += "<span class=\"lb-map-label\" style=\"left:\(String(format: "%.2f", x))%;top:\(String(format: "%.2f", y))%\">\(HTMLEscaping.escape(label))</span>"
        }
        return html
    }

    static func plotHTML(_ plot: OutputPlot, svg: String) -> String {
        var html = "<figure class=\"lb-figure lb-plot-figure\">"
        html += SVGPlot.render(plot)
        html += "<figcaption>"
        if plot.series.count > 1 {
            // The SVG's legend is laid out for desktop text; a phone shows this one instead.
            html += "<span class=\"lb-legend\">"
            for (i, series) in plot.series.enumerated() {
                html += "<span><i style=\"background:\(SVGPlot.palette[i % SVGPlot.palette.count])\"></i>\(HTMLEscaping.escape(series.name))</span>"
            }
            html += "</span>"
        }
        let points = plot.series.map { min($0.x.count, $0.y.count) }.reduce(0, +)
        html += plot.series.count == 1 ? "\(points) points" : "\(plot.series.count) series, \(points) points"
        html += " · <a href=\"\(HTMLEscaping.attribute(svg))\">svg</a></figcaption></figure>\n"
        return html
    }
}
