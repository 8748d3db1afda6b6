import Foundation
import XCTest
import LessonScript
import TensorEngine
@testable import LessonRunner

/// Loads a rendered page in headless Chromium and checks what a reader would see: every
/// image decoded, every formula typeset by KaTeX, and nothing logged as an error.
final class BrowserTests: XCTestCase {
    func testRenderedPageDisplaysImagesMathAndNoErrors() throws {
        guard let chromium = BrowserHarness.chromiumPath() else {
            throw XCTSkip("chromium is not installed (apt-get install chromium; `make test` installs it)")
        }
        let folder = try BrowserHarness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }

        let lesson = try BrowserFixtureLesson.make()
        let artifacts = ArtifactNames(slug: lesson.slug)
        XCTAssertTrue(try KaTeXAssets.install(into: folder), "KaTeX is missing: apt-get install libjs-katex (`make test` installs it)")
        let page = HTMLRenderer.render(lesson, artifacts: artifacts)
        let pageURL = folder.appendingPathComponent(artifacts.htmlFile)
        try BrowserHarness.instrument(page).write(to: pageURL, atomically: true, encoding: .utf8)

        let verdict = try BrowserHarness.load(pageURL, chromium: chromium)
        XCTAssertEqual(verdict.images, 2, "the sample has two images")
        XCTAssertEqual(verdict.brokenImages, [], "images that did not decode")
        XCTAssertGreaterThanOrEqual(verdict.math, 3, "inline and display math elements")
        XCTAssertEqual(verdict.untypesetMath, [], "math elements KaTeX did not typeset")
        XCTAssertEqual(verdict.katexErrors, [], "formulas KaTeX could not parse")
        XCTAssertEqual(verdict.plots, 1)
        XCTAssertEqual(verdict.errors, [], "console errors and failed loads")
        XCTAssertTrue(verdict.scriptTextShown, "a printed <script> must show as text")
        XCTAssertGreaterThanOrEqual(verdict.smallestPlotText, 11, "plot text at 1280 px")

        let phone = try BrowserHarness.load(pageURL, chromium: chromium, width: 390)
        XCTAssertGreaterThanOrEqual(phone.smallestPlotText, 11, "plot text on a phone")
        XCTAssertLessThanOrEqual(phone.pageWidth, 390, "the page fits a phone: \(phone.wideElements)")
    }

    /// The whole course as a site. Lessons 1–4 and 7 run through the real interpreter (their
    /// images and most of the course's math: every image decodes, every formula is typeset,
    /// nothing is logged as an error); the lessons that train networks run on a stand-in engine
    /// that prints one line per cell, to keep `swift test` fast: navigation, search and
    /// disclosures do not depend on what a cell computed. Every page is loaded at 390 px.
    func testCourseSiteNavigatesSearchesAndFitsAPhone() throws {
        guard let chromium = BrowserHarness.chromiumPath() else {
            throw XCTSkip("chromium is not installed (apt-get install chromium; `make test` installs it)")
        }
        let folder = try BrowserHarness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../lessons").standardizedFileURL
        let paths = try Lessonbook.lessonPaths([lessons.path])
        XCTAssertEqual(paths.count, 9)
        let real: Set<Int> = [0, 1, 2, 3, 6]
        var next = 0
        let console = Console(out: { _ in }, err: { _ in })
        let status = try Lessonbook.render(paths: paths, output: folder.path, console: console, executor: {
            defer { next += 1 }
            if real.contains(next) { return LessonExecutor() }
            return LessonExecutor(host: RecordingHost(showsProgress: false), engine: { PrintingEngine(host: $0) })
        })
        XCTAssertEqual(status, 0)

        let pages = ["index"] + paths.map { ArtifactNames(lessonPath: $0).slug }
        var imagesSeen = 0, mathSeen = 0, solutions = 0
        for (number, name) in pages.enumerated() {
            let pageURL = folder.appendingPathComponent("\(name).html")
            let page = try String(contentsOf: pageURL, encoding: .utf8)
            for ci in ["lb-badge", "lb-time", "cell \(1)", lessons.path] {
                XCTAssertFalse(page.replacingOccurrences(of: PageStyle.css, with: "").contains(ci), "\(name) shows \(ci)")
            }
            try BrowserHarness.instrument(page, searchFor: name == "index" ? "cheques" : nil).write(to: pageURL, atomically: true, encoding: .utf8)
            let verdict = try BrowserHarness.load(pageURL, chromium: chromium, width: 390)
            XCTAssertEqual(verdict.brokenImages, [], "\(name): images that did not decode")
            XCTAssertEqual(verdict.untypesetMath, [], "\(name): math KaTeX did not typeset")
            XCTAssertEqual(verdict.katexErrors, [], "\(name): formulas KaTeX could not parse")
            XCTAssertEqual(verdict.errors, [], "\(name): console errors and failed loads")
            let root = folder.resolvingSymlinksInPath().absoluteString
            XCTAssertEqual(verdict.requests.filter { !$0.hasPrefix(root) && !$0.hasPrefix("data:") }, [],
                           "\(name): requests outside the output folder")
            XCTAssertEqual(verdict.headingsWithoutID, [], "\(name): headings without an id")
            XCTAssertLessThanOrEqual(verdict.pageWidth, 390, "\(name): wider than a 390 px phone (\(verdict.wideElements))")
            XCTAssertEqual(verdict.sidebar, paths.map { ArtifactNames(lessonPath: $0).htmlFile }, "\(name): the sidebar lists every lesson")
            for link in verdict.pager {
                let target = try XCTUnwrap(URL(string: link)).path
                XCTAssertTrue(FileManager.default.fileExists(atPath: target), "\(name): previous/next goes to \(link)")
            }
            if number >= 1 {
                XCTAssertTrue(verdict.pagerRel.contains("prev"), "\(name) has a previous link")
                if number < pages.count - 1 { XCTAssertTrue(verdict.pagerRel.contains("next"), "\(name) has a next link") }
                XCTAssertGreaterThanOrEqual(verdict.tocEntries, 2, "\(name) has a table of contents")
                XCTAssertEqual(verdict.solutionsVisibleWhileClosed, 0, "\(name): a solution's output shows before it is opened")
                XCTAssertEqual(verdict.solutionsVisibleWhenOpen, verdict.solutions, "\(name): opening a solution shows its output")
                solutions += verdict.solutions
            } else {
                XCTAssertTrue(verdict.title.contains("Convolutional neural networks"), verdict.title)
                XCTAssertEqual(verdict.searchResults.first.map { URL(string: $0)?.lastPathComponent ?? "" }, "05-lenet.html",
                               "searching a word only lesson 5 uses finds lesson 5: \(verdict.searchResults)")
            }
            if name == "07-googlenet" {
                XCTAssertGreaterThan(verdict.treeRows, 100, "GoogLeNet's shape table")
                XCTAssertGreaterThan(verdict.treeRowsHidden, 80, "a long shape table starts folded to its blocks")
                XCTAssertEqual(verdict.treeRowsHiddenAfterOpening, 0, "opening every block shows every row")
            }
            if real.contains(number - 1) {
                imagesSeen += verdict.images
                mathSeen += verdict.math
            }
        }
        XCTAssertEqual(solutions, 9, "every lesson's exercise answers are a closed solution")
        XCTAssertGreaterThanOrEqual(imagesSeen, 4, "the edge images and the pooled feature maps")
        XCTAssertGreaterThanOrEqual(mathSeen, 50, "the lessons' formulas")
        let report = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("9 lessons: 9 passed"), "the CI view is report.html")
        for name in pages {
            XCTAssertFalse(try String(contentsOf: folder.appendingPathComponent("\(name).html"), encoding: .utf8).contains("report.html"),
                           "no student page links to the report")
        }
        if let screenshots = ProcessInfo.processInfo.environment["LESSONBOOK_SCREENSHOTS"] {
            try BrowserHarness.screenshots(of: folder.appendingPathComponent("04-pooling.html"), chromium: chromium,
                                           into: URL(fileURLWithPath: screenshots))
        }
    }

    /// `render --self-contained`: a lesson page copied alone into an empty folder still
    /// typesets its math and requests nothing but its own data.
    func testSelfContainedPageStandsAlone() throws {
        guard let chromium = BrowserHarness.chromiumPath() else {
            throw XCTSkip("chromium is not installed (apt-get install chromium; `make test` installs it)")
        }
        let rendered = try BrowserHarness.temporaryFolder(), alone = try BrowserHarness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: rendered); try? FileManager.default.removeItem(at: alone) }
        let lesson = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../lessons/01-cross-correlation.md").standardizedFileURL
        XCTAssertEqual(try Lessonbook.render(paths: [lesson.path], output: rendered.path, selfContained: true,
                                             console: Console(out: { _ in }, err: { _ in }), executor: { LessonExecutor() }), 0)
        let page = try String(contentsOf: rendered.appendingPathComponent("01-cross-correlation.html"), encoding: .utf8)
        XCTAssertFalse(page.contains("src=\"assets/"), "no script from the assets folder")
        XCTAssertFalse(page.contains("href=\"assets/"), "no stylesheet from the assets folder")
        let pageURL = alone.appendingPathComponent("lesson.html")
        try BrowserHarness.instrument(page).write(to: pageURL, atomically: true, encoding: .utf8)
        let verdict = try BrowserHarness.load(pageURL, chromium: chromium)
        XCTAssertGreaterThanOrEqual(verdict.math, 20)
        XCTAssertEqual(verdict.untypesetMath, [], "math typeset without the assets folder")
        XCTAssertEqual(verdict.brokenImages, [])
        XCTAssertEqual(verdict.errors, [])
        XCTAssertEqual(verdict.requests.filter { !$0.hasPrefix("data:") && $0 != pageURL.absoluteString }, [])
    }

    /// The harness itself must be able to fail: a page whose image data is corrupt and whose
    /// KaTeX script is missing is reported as broken.
    func testHarnessReportsBrokenImagesAndMissingKaTeX() throws {
        guard let chromium = BrowserHarness.chromiumPath() else {
            throw XCTSkip("chromium is not installed (apt-get install chromium; `make test` installs it)")
        }
        let folder = try BrowserHarness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head><body>
        <img src="data:image/png;base64,iVBORw0KGgoAAAAN" alt="corrupt">
        <span class="math inline">x^2</span>
        <h2>No id</h2><div style="width: 450px">wide</div>
        <details class="lb-solution"><summary>Show solution</summary><div class="lb-output"><pre>42</pre></div></details>
        <script src="assets/katex/katex.min.js"></script>
        </body></html>
        """
        let pageURL = folder.appendingPathComponent("broken.html")
        try BrowserHarness.instrument(page).write(to: pageURL, atomically: true, encoding: .utf8)
        let verdict = try BrowserHarness.load(pageURL, chromium: chromium, width: 390)
        XCTAssertGreaterThan(verdict.pageWidth, 390, "a 450 px element overflows a phone")
        XCTAssertEqual(verdict.headingsWithoutID, ["No id"])
        XCTAssertEqual(verdict.solutions, 1)
        XCTAssertEqual(verdict.solutionsVisibleWhileClosed, 0)
        XCTAssertEqual(verdict.solutionsVisibleWhenOpen, 1)
        XCTAssertEqual(verdict.brokenImages.count, 1)
        XCTAssertEqual(verdict.untypesetMath.count, 1)
        XCTAssertFalse(verdict.errors.isEmpty, "the missing script must be reported")
    }
}

/// Runs headless Chromium on a page and reads back the verdict the injected check script
/// wrote into the DOM.
enum BrowserHarness {
    struct Verdict: Decodable {
        var images: Int
        var brokenImages: [String]
        var math: Int
        var untypesetMath: [String]
        var katexErrors: [String]
        var plots: Int
        var errors: [String]
        var scriptTextShown: Bool
        var title: String
        var requests: [String]
        var headingsWithoutID: [String]
        var pageWidth: Int
        var wideElements: [String]
        var sidebar: [String]
        var pager: [String]
        var pagerRel: [String]
        var tocEntries: Int
        var solutions: Int
        var solutionsVisibleWhileClosed: Int
        var solutionsVisibleWhenOpen: Int
        var searchResults: [String]
        /// The smallest plot text as drawn, in CSS pixels (font size times the SVG's scale).
        var smallestPlotText: Double
        /// Rows of shape tables, hidden at load, and hidden after every fold button is pressed.
        var treeRows: Int
        var treeRowsHidden: Int
        var treeRowsHiddenAfterOpening: Int
    }

    static func chromiumPath() -> String? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return nil
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lessonbook-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Records errors from the first moment (a script at the top of `<head>`: console.error,
    /// uncaught exceptions, resources that failed to load) and, after `load`, writes a
    /// base64 JSON verdict into `<pre id="lb-verdict">`. Only test pages get this.
    static func instrument(_ page: String, searchFor query: String? = nil) -> String {
        let recorder = """
        <script>
        window.__lbErrors = [];
        (function () {
          var original = console.error;
          console.error = function () {
            window.__lbErrors.push("console.error: " + Array.prototype.map.call(arguments, String).join(" "));
            return original.apply(console, arguments);
          };
          window.addEventListener("error", function (e) {
            var t = e.target;
            if (t && t !== window && (t.src || t.href)) {
              window.__lbErrors.push("failed to load " + t.tagName.toLowerCase() + ": " + (t.src || t.href).slice(0, 120));
            } else {
              window.__lbErrors.push("uncaught: " + e.message);
            }
          }, true);
          window.addEventListener("unhandledrejection", function (e) {
            window.__lbErrors.push("unhandled rejection: " + String(e.reason));
          });
        })();
        </script>
        """
        let queryJSON = query.map { "\"" + $0 + "\"" } ?? "null"
        let checker = """
        <script>
        window.addEventListener("load", function () {
          setTimeout(function () {
            function shown(el) { return !!el && (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0); }
            var details = Array.prototype.slice.call(document.querySelectorAll("details.lb-solution"));
            var closedShown = details.filter(function (d) {
              return Array.prototype.some.call(d.querySelectorAll(".lb-output, pre"), shown);
            }).length;
            details.forEach(function (d) { d.open = true; });
            var openShown = details.filter(function (d) {
              return Array.prototype.some.call(d.querySelectorAll(".lb-output, .lb-cell-code"), shown);
            }).length;
            details.forEach(function (d) { d.open = false; });
            var query = \(queryJSON), results = [];
            var input = document.getElementById("lb-search-input");
            if (query && input) {
              input.value = query;
              input.dispatchEvent(new Event("input"));
              results = Array.prototype.map.call(document.querySelectorAll("#lb-search-results a"), function (a) { return a.href; });
            }
            var treeRows = Array.prototype.slice.call(document.querySelectorAll("table.lb-tree tbody tr"));
            var treeHidden = treeRows.filter(function (r) { return r.hidden; }).length;
            Array.prototype.forEach.call(document.querySelectorAll(".lb-tree-toggle[aria-expanded=false]"), function (b) { b.click(); });
            var treeHiddenAfter = treeRows.filter(function (r) { return r.hidden; }).length;
            var width = document.documentElement.clientWidth;
            var wide = Array.prototype.filter.call(document.querySelectorAll("body *"), function (el) {
              var r = el.getBoundingClientRect(); return r.right > width + 1 && getComputedStyle(el).position !== "absolute";
            }).slice(0, 5).map(function (el) { return el.tagName + "." + el.className; });
            var imgs = Array.prototype.slice.call(document.images);
            var math = Array.prototype.slice.call(document.querySelectorAll(".math"));
            var verdict = {
              images: imgs.length,
              brokenImages: imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
                                .map(function (i) { return i.alt || i.src.slice(0, 60); }),
              math: math.length,
              untypesetMath: math.filter(function (m) { return !m.querySelector(".katex"); })
                                 .map(function (m) { return m.textContent.slice(0, 80); }),
              katexErrors: Array.prototype.map.call(document.querySelectorAll(".katex-error"),
                                 function (e) { return e.title || e.textContent; }),
              plots: document.querySelectorAll("svg.lb-plot").length,
              errors: window.__lbErrors,
              scriptTextShown: Array.prototype.some.call(document.querySelectorAll(".lb-output pre"),
                                 function (p) { return p.textContent.indexOf("<script>alert(1)<\\/script>") >= 0; }),
              title: document.title,
              requests: performance.getEntriesByType("resource").map(function (e) { return e.name; })
                        .concat(imgs.map(function (i) { return i.src; })),
              headingsWithoutID: Array.prototype.filter.call(document.querySelectorAll("h1, h2, h3, h4, h5, h6"),
                                 function (h) { return !h.id; }).map(function (h) { return h.textContent.slice(0, 60); }),
              pageWidth: document.documentElement.scrollWidth,
              wideElements: wide,
              sidebar: Array.prototype.map.call(document.querySelectorAll(".lb-sidebar li a"),
                                 function (a) { return a.getAttribute("href"); }),
              pager: Array.prototype.map.call(document.querySelectorAll(".lb-pager a"), function (a) { return a.href; }),
              pagerRel: Array.prototype.map.call(document.querySelectorAll(".lb-pager a"), function (a) { return a.rel; }),
              tocEntries: document.querySelectorAll(".lb-toc li").length,
              solutions: details.length,
              solutionsVisibleWhileClosed: closedShown,
              solutionsVisibleWhenOpen: openShown,
              searchResults: results,
              treeRows: treeRows.length, treeRowsHidden: treeHidden, treeRowsHiddenAfterOpening: treeHiddenAfter,
              smallestPlotText: Array.prototype.reduce.call(document.querySelectorAll("svg.lb-plot text"), function (m, t) {
                var svg = t.ownerSVGElement, scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return Math.min(m, scale * parseFloat(getComputedStyle(t).fontSize));
              }, 1000)
            };
            var out = document.createElement("pre");
            out.id = "lb-verdict";
            out.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(verdict))));
            document.body.appendChild(out);
            if (window.parent !== window) { window.parent.postMessage(out.textContent, "*"); }
          }, 50);
        });
        </script>
        """
        var html = page
        if let head = html.range(of: "<head>") {
            html.insert(contentsOf: "\n" + recorder, at: head.upperBound)
        } else {
            html = recorder + html
        }
        if let end = html.range(of: "</body>", options: .backwards) {
            html.insert(contentsOf: checker + "\n", at: end.lowerBound)
        } else {
            html += checker
        }
        return html
    }

    /// Loads `page` and returns the verdict; throws when Chromium fails or writes none.
    /// Headless Chromium lays pages out at least 500 px wide, so narrower widths load the page
    /// in an iframe of that width, which posts its verdict to the frame page.
    static func load(_ page: URL, chromium: String, width: Int = 1280, timeout: TimeInterval = 30) throws -> Verdict {
        var page = page
        if width < 500 {
            let frame = page.deletingLastPathComponent().appendingPathComponent("frame-\(width)-\(page.lastPathComponent)")
            let html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
            <iframe src="\(page.lastPathComponent)" style="width:\(width)px;height:900px;border:0"></iframe>
            <script>window.addEventListener("message", function (e) {
              var out = document.createElement("pre"); out.id = "lb-verdict"; out.textContent = e.data; document.body.appendChild(out);
            });</script></body></html>
            """
            try html.write(to: frame, atomically: true, encoding: .utf8)
            page = frame
        }
        let profile = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--user-data-dir=\(profile.path)", "--window-size=\(width),900", "--hide-scrollbars",
            "--virtual-time-budget=5000",
            "--dump-dom", page.absoluteString,
        ]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both pipes while it runs so a chatty Chromium cannot block on a full pipe.
        let outData = DataBox(), errData = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(stdout, outData), (stderr, errData)] {
            group.enter()
            DispatchQueue.global().async { box.data = pipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw BrowserError("chromium did not finish within \(Int(timeout)) s")
        }
        group.wait()
        let dom = String(decoding: outData.data, as: UTF8.self)
        guard let start = dom.range(of: "<pre id=\"lb-verdict\">"),
              let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex),
              let json = Data(base64Encoded: String(dom[start.upperBound..<end.lowerBound]))
        else {
            let log = String(decoding: errData.data, as: UTF8.self).suffix(2000)
            throw BrowserError("no verdict in chromium's DOM dump (exit \(process.terminationStatus)); stderr:\n\(log)")
        }
        return try JSONDecoder().decode(Verdict.self, from: json)
    }

    /// Screenshots of `page` at 1280 and 390 px wide, for a person to look at.
    static func screenshots(of page: URL, chromium: String, into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for width in [1280, 390] {
            let profile = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: profile) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: chromium)
            let target = folder.appendingPathComponent("screenshot-\(page.deletingPathExtension().lastPathComponent)-\(width).png")
            process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                                 "--user-data-dir=\(profile.path)", "--window-size=\(width),2400",
                                 "--screenshot=\(target.path)", page.absoluteString]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
    }

    final class DataBox: @unchecked Sendable { var data = Data() }

    struct BrowserError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Stands in for the interpreter in lessons whose cells would train networks: each cell prints
/// one line, so the page has an output under every cell.
final class PrintingEngine: CellEngine {
    let host: ScriptHost
    init(host: ScriptHost) { self.host = host }
    func run(cell source: String, file: String, firstLine: Int) throws {
        host.write("ran the cell at line \(firstLine)\n")
    }
    func describe(_ error: Error) -> CellErrorText { CellErrorText(full: "\(error)", output: "\(error)") }
}

/// A small lesson with every kind of output, run results filled in by hand.
enum BrowserFixtureLesson {
    static func make() throws -> RenderedLesson {
        // A vertical edge: dark left half, bright right half, and its response map.
        var image = [Float](repeating: 0, count: 6 * 8)
        for y in 0..<6 { for x in 4..<8 { image[y * 8 + x] = 1 } }
        var maps = [Float]()
        for c in 0..<4 { for y in 0..<6 { for x in 0..<7 { maps.append(Float((x - 3) * (c + 1) + y)) } } }
        let losses = (0..<20).map { 2.3 * exp(-Double($0) / 6) + 0.1 }
        let accuracy = (0..<20).map { 0.95 - 0.8 * exp(-Double($0) / 5) }

        let prose1 = """
        # Cross-correlation by hand

        A convolutional layer slides a small kernel $K$ over an image $X$ and, at every position,
        takes a weighted sum. For a $k \\times k$ kernel the output is

        $$Y_{i,j} = \\sum_{a=0}^{k-1} \\sum_{b=0}^{k-1} X_{i+a,\\,j+b}\\,K_{a,b} + b$$

        so an $H \\times W$ input gives an $(H-k+1) \\times (W-k+1)$ output. Prices like $5 and $10
        stay text, and `code with $x$` stays code.
        """
        let prose2 = """
        ## Feature maps

        Each of the $C_{\\text{out}} = 4$ output channels has its own kernel; the grid below shows
        all four maps, each scaled on its own.
        """
        let cell1 = CellRun(id: "1", line: 12, outputs: [
            .text("x.shape = [6, 8]\n"),
            .rich(.image(OutputImage(title: "input with a vertical edge", pixels: try Tensor(shape: [6, 8], scalars: image)))),
            .text("<script>alert(1)</script>\n"),
        ], status: .succeeded, seconds: 0.01)
        let cell2 = CellRun(id: "maps", line: 30, outputs: [
            .rich(.image(OutputImage(title: "conv1 feature maps", pixels: try Tensor(shape: [4, 6, 7], scalars: maps)))),
            .rich(.table(OutputTable(title: "summary(model)", headers: ["Layer", "Output shape", "Params"],
                                     rows: [["Conv2d(1, 4, 3)", "[1, 4, 4, 6]", "40"], ["ReLU", "[1, 4, 4, 6]", "0"],
                                            ["Flatten", "[1, 96]", "0"], ["Linear(96, 10)", "[1, 10]", "970"],
                                            ["Total", "", "1,010"]], footerStart: 4))),
            .rich(.plot(OutputPlot(title: "Training", xLabel: "epoch", yLabel: "value", series: [
                .init(name: "loss", x: (0..<20).map(Double.init), y: losses),
                .init(name: "accuracy", x: (0..<20).map(Double.init), y: accuracy),
            ]))),
            .rich(.value("tensor([[0.5000, 1.0000]])")),
        ], status: .succeeded, seconds: 1.25)
        let cell3 = CellRun(id: "3", line: 44, outputs: [],
                            status: .failed(message: "lessons/sample.md:45:13: error: conv2d: expected input of shape [N, C, H, W], got [6, 8]\n    let y = conv2d(x, w)\n            ^\n"),
                            seconds: 0.0)
        return RenderedLesson(title: "Cross-correlation by hand", sourcePath: "lessons/sample.md", slug: "sample", blocks: [
            .prose(prose1),
            .cell(source: "let x = edgeImage(height: 6, width: 8)  // 0 left, 1 right\nprint(\"x.shape = \\(x.shape)\")\nshow(x, title: \"input with a vertical edge\")\nprint(\"<script>alert(1)</script>\")\n", options: CellOptions(), run: cell1),
            .prose(prose2),
            .cell(source: "let conv = Conv2d(1, 4, kernelSize: 3)\nshow(conv(x)[0], title: \"conv1 feature maps\")\nsummary(model, input: [1, 1, 6, 8])\nplot(losses, title: \"Training\")\ntensor([[0.5, 1.0]])\n", options: CellOptions(), run: cell2),
            .cell(source: "let y = conv2d(x, w)\n", options: CellOptions(), run: cell3),
        ], status: .failed, seconds: 1.26)
    }
}
