import Foundation
import XCTest
import LessonScript
import TensorEngine
@testable import LessonRunner

final class HTMLRendererTests: XCTestCase {
    let artifacts = ArtifactNames(slug: "lesson")
    let noKaTeX = HTMLRenderer.Options(katexFolder: nil)

    func lesson(_ blocks: [RenderedLesson.Block], status: LessonStatus = .passed, title: String = "A lesson") -> RenderedLesson {
        RenderedLesson(title: title, sourcePath: "lessons/a.md", slug: "lesson", blocks: blocks, status: status, seconds: 0.5)
    }

    func cell(_ source: String, _ outputs: [CellOutput], status: CellStatus = .succeeded, id: String = "1", hidden: Bool = false,
              options: CellOptions = CellOptions()) -> RenderedLesson.Block {
        var options = options
        options.hide = options.hide || hidden
        return .cell(source: source, options: options, run: CellRun(id: id, line: 3, outputs: outputs, status: status, seconds: 0.1))
    }

    /// The page's `<main>` element: where lesson content goes (the page's own scripts are outside).
    func main(_ page: String) -> String {
        guard let start = page.range(of: "<main"), let end = page.range(of: "</main>") else { return "" }
        return String(page[start.lowerBound..<end.upperBound])
    }

    // MARK: Escaping

    func testEveryKindOfOutputIsEscaped() throws {
        let evil = "<script>alert(1)</script>"
        let page = HTMLRenderer.render(lesson([
            cell("print(\"\(evil)\")", [
                .text(evil + "\n"),
                .rich(.value("\"" + evil + "\"")),
                .rich(.table(OutputTable(title: evil, headers: [evil], rows: [[evil]], footerStart: nil))),
                .rich(.image(OutputImage(title: evil, pixels: try Tensor(shape: [2, 2], scalars: [0, 1, 2, 3])))),
                .rich(.plot(OutputPlot(title: evil, xLabel: evil, yLabel: evil, series: [.init(name: evil, x: [0, 1], y: [0, 1])]))),
            ], id: "x\"><script>"),
            cell("oops()", [], status: .failed(message: "a.md:1:1: error: \(evil)"), id: "2"),
            cell("skipped()", [], status: .notRun(reason: evil), id: "3"),
        ], status: .skipped(reason: evil), title: evil), artifacts: artifacts, options: noKaTeX)
        let content = main(page)
        XCTAssertFalse(page.contains("<script>alert"), "a raw <script> reached the page")
        XCTAssertFalse(page.contains("<script>"), "only the page's own scripts may appear (none without KaTeX)")
        XCTAssertTrue(content.contains("<pre class=\"lb-text\">&lt;script&gt;alert(1)&lt;/script&gt;</pre>"))
        XCTAssertTrue(content.contains("&quot;&lt;script&gt;"))
        XCTAssertTrue(content.contains("<th>&lt;script&gt;alert(1)&lt;/script&gt;</th>"))
        XCTAssertTrue(content.contains("<caption>&lt;script&gt;"))
        XCTAssertTrue(content.contains("id=\"cell-x---script-\""), "cell ids are sanitised")
        XCTAssertTrue(content.contains("error: &lt;script&gt;"))
        XCTAssertTrue(page.contains("<title>&lt;script&gt;"))
    }

    func testHTMLEscapingTable() {
        XCTAssertEqual(HTMLEscaping.escape("a < b && c > \"d\" 'e'"), "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;")
        XCTAssertEqual(HTMLEscaping.escape("plain ünïcode"), "plain ünïcode")
    }

    // MARK: Structure

    func testCellsOutputsAndStatuses() throws {
        let page = main(HTMLRenderer.render(lesson([
            .prose("# Title\n\nSome *prose*.\n"),
            cell("let a = 1\nprint(a)\n", [.text("1\n"), .text("2\n"), .rich(.value("3"))]),
            cell("hidden()", [.text("shown\n")], id: "h", hidden: true),
            cell("slow()", [], status: .timedOut(seconds: 2), id: "4"),
            cell("fine()", [], status: .unexpectedSuccess, id: "5"),
        ]), artifacts: artifacts, options: noKaTeX))
        XCTAssertTrue(page.contains("<h1 id=\"title\">Title<a class=\"lb-anchor\" href=\"#title\""))
        XCTAssertEqual(page.components(separatedBy: "<h1").count, 2, "no second title when the prose has one")
        XCTAssertTrue(page.contains("<em>prose</em>"))
        XCTAssertTrue(page.contains("<pre class=\"lb-text\">1\n2</pre>"), "consecutive prints are one block")
        XCTAssertTrue(page.contains("<pre class=\"lb-value\">3</pre>"))
        XCTAssertTrue(page.contains("aria-label=\"output\"><span class=\"lb-label\">output</span>"))
        XCTAssertFalse(page.contains("hidden()"), "a hidden cell's code is left out")
        XCTAssertTrue(page.contains("shown"), "but its output is shown")
        XCTAssertTrue(page.contains("timed out"))
        XCTAssertTrue(page.contains("expect-error"))
    }

    func testTitleIsAddedWhenProseHasNone() {
        let page = HTMLRenderer.render(lesson([.prose("Just text.\n")], title: "Pooling"), artifacts: artifacts, options: noKaTeX)
        XCTAssertTrue(main(page).contains("<h1>Pooling</h1>"))
    }

    func testTablesImagesAndPlots() throws {
        let table = OutputTable(title: "summary", headers: ["Layer", "Params"],
                                rows: [["Conv2d", "40"], ["Linear", "970"], ["Total", "1,010"]], footerStart: 2)
        let image = OutputImage(title: "edges", pixels: try Tensor(shape: [6, 8], scalars: (0..<48).map(Float.init)))
        let plot = OutputPlot(title: "loss", series: [.init(name: "loss", x: [0, 1, 2], y: [3, 2, 1])])
        let page = main(HTMLRenderer.render(lesson([
            cell("go()", [.rich(.table(table)), .rich(.image(image)), .rich(.image(image)), .rich(.plot(plot))], id: "maps"),
        ]), artifacts: artifacts, options: noKaTeX))
        XCTAssertTrue(page.contains("<tfoot>\n<tr><td>Total</td><td class=\"lb-num\">1,010</td></tr>\n</tfoot>"))
        XCTAssertTrue(page.contains("<th class=\"lb-num\">Params</th>"), "numeric columns are right-aligned")
        XCTAssertTrue(page.contains("src=\"data:image/png;base64,"))
        let scale = try ImageLayout.layout(image.pixels).displayScale
        XCTAssertTrue(page.contains("width=\"\(8 * scale)\" height=\"\(6 * scale)\""))
        XCTAssertTrue(page.contains("href=\"lesson/maps-1.png\""))
        XCTAssertTrue(page.contains("href=\"lesson/maps-2.pgm\""), "images are numbered within the cell")
        XCTAssertTrue(page.contains("href=\"lesson/maps-1.svg\""), "plots are numbered among the cell's plots")
        XCTAssertTrue(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lb-plot\""))

        // The embedded PNG is exactly what ImageWriter writes.
        let marker = "data:image/png;base64,"
        let start = try XCTUnwrap(page.range(of: marker)).upperBound
        let end = try XCTUnwrap(page[start...].firstIndex(of: "\""))
        XCTAssertEqual(Data(base64Encoded: String(page[start..<end])), try ImageWriter.pngData(image))
    }

    /// A pooled map is drawn at the pixel size of the input it came from (one scale per cell).
    func testImagesOfACellShareOneScale() throws {
        let input = OutputImage(title: "input", pixels: try Tensor(shape: [12, 12], scalars: (0..<144).map(Float.init)))
        let pooled = OutputImage(title: "pooled", pixels: try Tensor(shape: [6, 6], scalars: (0..<36).map(Float.init)))
        let page = main(HTMLRenderer.render(lesson([cell("show()", [.rich(.image(input)), .rich(.image(pooled))])]),
                                            artifacts: artifacts, options: noKaTeX))
        let scale = try ImageLayout.layout(input.pixels).displayScale
        XCTAssertLessThan(scale, try ImageLayout.layout(pooled.pixels).displayScale, "alone, the pooled map would be drawn larger")
        XCTAssertTrue(page.contains("width=\"\(12 * scale)\" height=\"\(12 * scale)\""))
        XCTAssertTrue(page.contains("width=\"\(6 * scale)\" height=\"\(6 * scale)\""), "half the input's size on the page")
    }

    func testSolutionFoldAndHideOutputCells() {
        var solution = CellOptions(); solution.solution = true
        var fold = CellOptions(); fold.fold = true
        var quiet = CellOptions(); quiet.hideOutput = true
        var failing = CellOptions(); failing.expectError = true
        var varies = CellOptions(); varies.nondeterministic = true
        let page = main(HTMLRenderer.render(lesson([
            cell("answer()", [.text("42\n")], id: "a", options: solution),
            cell("folded()", [.text("seen\n")], id: "b", options: fold),
            cell("quiet()", [.text("unseen\n")], id: "c", options: quiet),
            cell("bad()", [.text("error: nope\n")], id: "d", options: failing),
            cell("timing()", [.text("3 ms\n")], id: "e", options: varies),
        ]), artifacts: artifacts, options: noKaTeX))
        XCTAssertTrue(page.contains("<details class=\"lb-solution\"><summary>Show solution</summary>"))
        let solutionPart = page.components(separatedBy: "<details class=\"lb-solution\">")[1].components(separatedBy: "</details>")[0]
        XCTAssertTrue(solutionPart.contains("answer") && solutionPart.contains("42"), "code and output are inside the disclosure")
        XCTAssertFalse(page.contains("<details class=\"lb-solution\" open"), "closed by default")
        XCTAssertTrue(page.contains("<details class=\"lb-fold\"><summary>Show code</summary>"))
        XCTAssertTrue(page.contains("seen"))
        XCTAssertFalse(page.contains("unseen"), "hide-output leaves the output out")
        XCTAssertTrue(page.contains("quiet"), "but shows the code")
        XCTAssertTrue(page.contains("lb-expected-error"))
        XCTAssertTrue(page.contains("varies between machines"))
    }

    func testStylesheetMeetsContrastAndWrapsWhenPrinted() throws {
        func luminance(_ hex: String) -> Double {
            let v = Int(hex.dropFirst(), radix: 16)!
            func linear(_ channel: Int) -> Double {
                let c = Double(channel & 255) / 255
                return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * linear(v >> 16) + 0.7152 * linear(v >> 8) + 0.0722 * linear(v)
        }
        func contrast(_ a: String, _ b: String) -> Double {
            let (x, y) = (luminance(a), luminance(b))
            return (max(x, y) + 0.05) / (min(x, y) + 0.05)
        }
        func variable(_ name: String, scheme: Int) throws -> String {
            let blocks = PageStyle.css.components(separatedBy: "--\(name): ")
            XCTAssertGreaterThanOrEqual(blocks.count, 3, "light and dark values of --\(name)")
            return String(blocks[scheme + 1].prefix(7))
        }
        for scheme in 0...1 {
            for (fg, bg) in [("hl-com", "code-bg"), ("muted", "bg"), ("muted", "code-bg"), ("link", "bg")] {
                let ratio = contrast(try variable(fg, scheme: scheme), try variable(bg, scheme: scheme))
                XCTAssertGreaterThanOrEqual(ratio, 4.5, "\(fg) on \(bg), \(scheme == 0 ? "light" : "dark"): WCAG AA")
            }
        }
        let print = try XCTUnwrap(PageStyle.css.components(separatedBy: "@media print").last)
        XCTAssertTrue(print.contains("white-space: pre-wrap"), "printing wraps long lines")
    }

    /// A shape table: counts right-aligned even with "--" rows, every row's depth marked so
    /// the page script can fold nested blocks.
    func testGridMapsAreLabelledByChannel() throws {
        let maps = OutputImage(title: "maps", pixels: try Tensor(shape: [4, 6, 7], scalars: (0..<168).map(Float.init)))
        let page = main(HTMLRenderer.render(lesson([cell("show(maps)", [.rich(.image(maps))])]), artifacts: artifacts, options: noKaTeX))
        XCTAssertEqual(page.components(separatedBy: "class=\"lb-map-label\"").count - 1, 4)
        XCTAssertTrue(page.contains("style=\"left:0.00%;top:0.00%\">0</span>"))
        XCTAssertTrue(page.contains("style=\"left:25.81%;top:0.00%\">1</span>"), "the second map starts at 8 of 31 pixels")
        let batch = OutputImage(title: "batch", pixels: try Tensor(shape: [2, 3, 2, 2], scalars: (0..<24).map(Float.init)))
        let batchPage = main(HTMLRenderer.render(lesson([cell("show(b)", [.rich(.image(batch))])]), artifacts: artifacts, options: noKaTeX))
        XCTAssertTrue(batchPage.contains(">1,2</span>"), "sample 1, channel 2")
        var named = maps
        named.titles = ["edges", "<b>", "c", "d"]
        let namedPage = main(HTMLRenderer.render(lesson([cell("show(maps)", [.rich(.image(named))])]), artifacts: artifacts, options: noKaTeX))
        XCTAssertTrue(namedPage.contains(">edges</span>") && namedPage.contains(">&lt;b&gt;</span>"), "titles label the maps, escaped")
    }

    func testShapeTableIsRightAlignedAndFoldable() {
        let table = OutputTable(headers: ["Layer", "Output Shape", "Param #", "Mult-Adds"], rows: [
            ["Sequential", "[1, 10]", "690", "1,216"], ["├─Sequential", "[1, 4, 4, 4]", "40", "576"],
            ["│    ├─Conv2d", "[1, 4, 4, 4]", "40", "576"], ["│    └─ReLU", "[1, 4, 4, 4]", "--", "--"],
            ["└─Linear", "[1, 10]", "650", "640"], ["Total params", "", "690", ""]], footerStart: 5)
        let page = main(HTMLRenderer.render(lesson([cell("summary(net)", [.rich(.table(table))])]), artifacts: artifacts, options: noKaTeX))
        XCTAssertTrue(page.contains("<table class=\"lb-tree\">"))
        XCTAssertTrue(page.contains("<tr data-depth=\"2\"><td>│    └─ReLU</td><td>[1, 4, 4, 4]</td><td class=\"lb-num\">--</td>"), page)
        XCTAssertTrue(page.contains("<tr data-depth=\"0\"><td>Sequential</td>"))
        XCTAssertEqual(HTMLRenderer.treeDepth("     └─MaxPool2d"), 2)
        XCTAssertNil(HTMLRenderer.treeDepth("  odd"))
    }

    func testAnImageThatCannotBeDrawnIsReportedNotFatal() throws {
        let bad = OutputImage(title: "vector", pixels: try Tensor(shape: [3], scalars: [1, 2, 3]))
        let page = main(HTMLRenderer.render(lesson([cell("show(v)", [.rich(.image(bad))])]), artifacts: artifacts, options: noKaTeX))
        XCTAssertTrue(page.contains("lb-error"))
        XCTAssertTrue(page.contains("[3]"))
    }

    func testStudentPagesCarryNoCIDetail() {
        var l = lesson([cell("x", [.text("1\n")], id: "7"), cell("y", [], status: .notRun(reason: "not run: cell 7 failed"), id: "8")],
                       status: .failed)
        l.seconds = 99
        let page = HTMLRenderer.render(l, artifacts: artifacts, options: .init(katexFolder: nil, includeStylesheet: false))
        for ci in ["1 min 39 s", "lb-badge", "failed</span>", "cell 7", "cell 8", "lessons/a.md", "not run: not run"] {
            XCTAssertFalse(page.contains(ci), "a student page shows \(ci)")
        }
        XCTAssertTrue(page.contains("Not run, because an earlier cell failed."))
        XCTAssertEqual(page.components(separatedBy: "Not run").count, 2, "said once")
    }

    // MARK: Math

    func testMathIsProtectedFromCommonMark() {
        let html = MathSpans.renderProse("Let $a_1 * b_2 = c_1 * d_2$ and *this* be.\n", render: Cmark.renderHTML)
        XCTAssertTrue(html.contains("<span class=\"math inline\">a_1 * b_2 = c_1 * d_2</span>"), html)
        XCTAssertTrue(html.contains("<em>this</em>"))
        XCTAssertEqual(html.components(separatedBy: "<em>").count, 2)
    }

    func testDisplayMathReplacesItsParagraph() {
        let html = MathSpans.renderProse("Before.\n\n$$\n\\sum_{i} x_i^2 < \\frac{a}{b}\n$$\n\nAfter.\n", render: Cmark.renderHTML)
        XCTAssertTrue(html.contains("<div class=\"math display\">\\sum_{i} x_i^2 &lt; \\frac{a}{b}</div>"), html)
        XCTAssertFalse(html.contains("<p><div"))
    }

    func testCodeEscapesAndMoneyAreNotMath() {
        let source = """
        Code `$x$` and fences:

        ```python
        cost = "$a$"
        ```

        It costs $5 and $10, or \\$3. A literal \\$x\\$ too.

        Spaced $ x $ is not math, nor is $y $.
        """
        let (protected, spans) = MathSpans.protect(source)
        XCTAssertEqual(spans, [], "\(spans)")
        XCTAssertEqual(protected, source)
    }

    func testInlineMathRules() {
        func tex(_ s: String) -> [String] { MathSpans.protect(s).spans.map(\.tex) }
        XCTAssertEqual(tex("$x$"), ["x"])
        XCTAssertEqual(tex("a $x$, $y^2$."), ["x", "y^2"])
        XCTAssertEqual(tex("$\\$ 5$"), ["\\$ 5"], "escaped dollar inside math")
        XCTAssertEqual(tex("$x$1"), [], "closing dollar followed by a digit")
        XCTAssertEqual(tex("$a\n\nb$"), [], "no math across a blank line")
        XCTAssertEqual(tex("$a\nb$"), ["a\nb"], "a single line break is fine")
        XCTAssertEqual(tex("$$a$$ and $b$"), ["a", "b"])
        XCTAssertEqual(MathSpans.protect("$$a$$").spans.map(\.display), [true])
        XCTAssertEqual(tex("``code $x$`` then $y$"), ["y"])
        XCTAssertEqual(tex("$5 and `$x$`"), [], "math does not run into code")
    }

    func testPunctuationAfterMathDoesNotWrapAway() {
        let html = MathSpans.renderProse("so $x_1$, then $y$ and $z$.\n", render: Cmark.renderHTML)
        XCTAssertTrue(html.contains("<span class=\"lb-nowrap\"><span class=\"math inline\">x_1</span>,</span> then"), html)
        XCTAssertTrue(html.contains("<span class=\"math inline\">y</span> and"), html)
        XCTAssertTrue(html.contains("<span class=\"lb-nowrap\"><span class=\"math inline\">z</span>.</span></p>"), html)
    }

    func testMathInsideAltTextStaysPlain() {
        let html = MathSpans.renderProse("![the map $W_1$](x.png)\n", render: Cmark.renderHTML)
        XCTAssertTrue(html.contains("alt=\"the map $W_1$\""), html)
        XCTAssertFalse(html.contains("<span"), html)
    }

    func testPageLoadsKaTeXOnlyWhenThereIsMath() {
        let options = HTMLRenderer.Options(katexFolder: "assets/katex")
        let withMath = HTMLRenderer.render(lesson([.prose("$x$\n")]), artifacts: artifacts, options: options)
        XCTAssertTrue(withMath.contains("<link rel=\"stylesheet\" href=\"assets/katex/katex.min.css\">"))
        XCTAssertTrue(withMath.contains("<script src=\"assets/katex/katex.min.js\" defer></script>"))
        XCTAssertTrue(withMath.contains("throwOnError: false"))
        let without = HTMLRenderer.render(lesson([.prose("No math.\n")]), artifacts: artifacts, options: options)
        XCTAssertFalse(without.contains("katex.min"))
        let noAssets = HTMLRenderer.render(lesson([.prose("$x$\n")]), artifacts: artifacts, options: noKaTeX)
        XCTAssertFalse(noAssets.contains("<script"))
        XCTAssertTrue(noAssets.contains("<span class=\"math inline\">x</span>"), "the TeX stays visible")
    }

    // MARK: Highlighting

    func testHighlighting() {
        let html = SyntaxHighlighter.highlight("let x = conv2d(1.5, \"<b>\") // done\n")
        XCTAssertTrue(html.contains("<span class=\"hl-kw\">let</span>"), html)
        XCTAssertTrue(html.contains("<span class=\"hl-num\">1.5</span>"), html)
        XCTAssertTrue(html.contains("<span class=\"hl-str\">&quot;&lt;b&gt;&quot;</span>"), html)
        XCTAssertTrue(html.contains("<span class=\"hl-com\">// done</span>"), html)
        XCTAssertTrue(html.contains("<span class=\"hl-fn\">conv2d</span>"), html)
        // Whatever the spans, the text is the source, escaped.
        let stripped = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        XCTAssertEqual(stripped, HTMLEscaping.escape("let x = conv2d(1.5, \"<b>\") // done\n"))
    }

    func testHighlightingNeverLosesTextOnBadInput() {
        for source in ["\"unterminated <", "/* open comment", "let 🎉 = §", ""] {
            let html = SyntaxHighlighter.highlight(source)
            let stripped = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            XCTAssertEqual(stripped, HTMLEscaping.escape(source))
        }
    }

    // MARK: Index and assets

    func testReportPageListsStatusTimeAndFailures() {
        let lessons = [
            RenderedLesson(title: "Cross-correlation", sourcePath: "lessons/01.md", slug: "01-cross", blocks: [], status: .passed, seconds: 1.5),
            RenderedLesson(title: "Training <fast>", sourcePath: "lessons/02.md", slug: "02-train", blocks: [], status: .failed, seconds: 12.25),
            RenderedLesson(title: "Fashion", sourcePath: "lessons/03.md", slug: "03 fashion", blocks: [], status: .skipped(reason: "missing data file"), seconds: 0),
        ]
        let page = ReportPage.render(lessons: lessons)
        XCTAssertTrue(page.contains("<a href=\"01-cross.html\">Cross-correlation</a>"))
        XCTAssertTrue(page.contains("<a href=\"03-fashion.html\">"), "links use the sanitised slug")
        XCTAssertTrue(page.contains("Training &lt;fast&gt;"))
        XCTAssertTrue(page.contains("<span class=\"lb-badge failed\">failed</span>"))
        XCTAssertTrue(page.contains("missing data file"))
        XCTAssertTrue(page.contains("1.50 s"))
        XCTAssertTrue(page.contains("12.2 s") || page.contains("12.3 s"))
        XCTAssertTrue(page.contains("3 lessons: 1 passed, 1 failed, 1 skipped"))
        XCTAssertFalse(ReportPage.render(lessons: lessons, includeTimings: false).contains(" s<"))
    }

    func testKaTeXInstallCopiesFilesOrReportsMissing() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("lb-katex-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: root) }
        let source = root.appendingPathComponent("katex")
        try fm.createDirectory(at: source.appendingPathComponent("fonts"), withIntermediateDirectories: true)
        try Data("js".utf8).write(to: source.appendingPathComponent("katex.min.js"))
        try Data("css".utf8).write(to: source.appendingPathComponent("katex.min.css"))
        try Data("font".utf8).write(to: source.appendingPathComponent("fonts/KaTeX_Main-Regular.woff2"))
        let output = root.appendingPathComponent("output")
        XCTAssertTrue(try KaTeXAssets.install(into: output, from: source))
        let installed = output.appendingPathComponent("assets/katex")
        XCTAssertEqual(try String(contentsOf: installed.appendingPathComponent("katex.min.js"), encoding: .utf8), "js")
        XCTAssertTrue(fm.fileExists(atPath: installed.appendingPathComponent("fonts/KaTeX_Main-Regular.woff2").path))
        XCTAssertTrue(try KaTeXAssets.install(into: output, from: source), "installing again is fine")

        let missing = root.appendingPathComponent("none")
        XCTAssertFalse(try KaTeXAssets.install(into: root.appendingPathComponent("out2"), from: missing))
        XCTAssertFalse(fm.fileExists(atPath: root.appendingPathComponent("out2").path))
    }
}
