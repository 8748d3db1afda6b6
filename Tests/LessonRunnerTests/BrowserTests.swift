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
    }

    /// The course's own pages, rendered by the real runner: every image decodes, every formula
    /// is typeset and nothing is logged as an error. The lessons that train networks are left to
    /// `make`, to keep `swift test` fast; these five hold the course's images and most of its math.
    func testCoursePagesDisplayImagesMathAndNoErrors() throws {
        guard let chromium = BrowserHarness.chromiumPath() else {
            throw XCTSkip("chromium is not installed (apt-get install chromium; `make test` installs it)")
        }
        let folder = try BrowserHarness.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../lessons").standardizedFileURL
        let names = ["01-cross-correlation", "02-padding-and-stride", "03-channels", "04-pooling", "07-googlenet"]
        let console = Console(out: { _ in }, err: { _ in })
        XCTAssertEqual(try Lessonbook.render(paths: names.map { lessons.appendingPathComponent("\($0).md").path },
                                             output: folder.path, console: console, executor: { LessonExecutor() }), 0)
        var imagesSeen = 0, mathSeen = 0
        for name in names {
            let pageURL = folder.appendingPathComponent("\(name).html")
            let page = try String(contentsOf: pageURL, encoding: .utf8)
            try BrowserHarness.instrument(page).write(to: pageURL, atomically: true, encoding: .utf8)
            let verdict = try BrowserHarness.load(pageURL, chromium: chromium)
            XCTAssertEqual(verdict.brokenImages, [], "\(name): images that did not decode")
            XCTAssertEqual(verdict.untypesetMath, [], "\(name): math KaTeX did not typeset")
            XCTAssertEqual(verdict.katexErrors, [], "\(name): formulas KaTeX could not parse")
            XCTAssertEqual(verdict.errors, [], "\(name): console errors and failed loads")
            imagesSeen += verdict.images
            mathSeen += verdict.math
        }
        XCTAssertGreaterThanOrEqual(imagesSeen, 4, "the edge images and the pooled feature maps")
        XCTAssertGreaterThanOrEqual(mathSeen, 50, "the lessons' formulas")
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
        <script src="assets/katex/katex.min.js"></script>
        </body></html>
        """
        let pageURL = folder.appendingPathComponent("broken.html")
        try BrowserHarness.instrument(page).write(to: pageURL, atomically: true, encoding: .utf8)
        let verdict = try BrowserHarness.load(pageURL, chromium: chromium)
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
    static func instrument(_ page: String) -> String {
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
        let checker = """
        <script>
        window.addEventListener("load", function () {
          setTimeout(function () {
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
                                 function (p) { return p.textContent.indexOf("<script>alert(1)<\\/script>") >= 0; })
            };
            var out = document.createElement("pre");
            out.id = "lb-verdict";
            out.textContent = btoa(unescape(encodeURIComponent(JSON.stringify(verdict))));
            document.body.appendChild(out);
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
    static func load(_ page: URL, chromium: String, timeout: TimeInterval = 30) throws -> Verdict {
        let profile = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--user-data-dir=\(profile.path)",
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

    final class DataBox: @unchecked Sendable { var data = Data() }

    struct BrowserError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
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
