import Foundation
import LessonScript

extension Lessonbook {
    /// `lessonbook render`: for each lesson writes `NAME.md`, `NAME.html`, each image as
    /// `NAME/CELL-K.png` and `.pgm`, each plot as `NAME/CELL-K.svg`, and the files its prose
    /// links to; then the site's home page `index.html`, the CI view `report.html`, the search
    /// index and the KaTeX assets. A failing lesson is still rendered (with its error at the cell) and the
    /// others go on; the status is 1 when any lesson failed or could not be read.
    public static func render(paths: [String], output: String = "output", selfContained: Bool = false, console: Console = Console(),
                              executor: () -> LessonExecutor = { LessonExecutor(snapshots: .workingDirectory) }) throws -> Int32 {
        let lessons = try lessonPaths(paths)
        if let script = lessons.first(where: { $0.hasSuffix(".swift") }) {
            throw UsageError("render takes Markdown lessons; run a script with: lessonbook run \(script)")
        }
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let katex = try KaTeXAssets.install(into: folder)
        if !katex { console.err("warning: KaTeX (libjs-katex) is not installed; math is shown as written\n") }

        let site = CourseSite(lessonPaths: lessons)
        var rendered: [RenderedLesson] = []
        var sections: [SearchIndex.Section] = []
        var status: Int32 = 0
        for path in lessons {
            let document: LessonDocument
            do { document = try LessonDocument.load(path: path) } catch {
                console.err("\(error)\n")
                if console.githubAnnotations {
                    console.out(Console.annotation(file: path, line: (error as? LessonInputError)?.line ?? 0, message: "\(error)"))
                }
                status = 1
                continue
            }
            let result = executor().run(document)
            reportProblems(result, console: console)
            do {
                sections += try writeArtifacts(result, to: folder, katex: katex, site: site, selfContained: selfContained)
            } catch {
                console.err("\(path): cannot write the rendered lesson: \(error)\n")
                status = 1
            }
            if result.status == .failed { status = 1 }
            rendered.append(result.rendered)
            let names = document.artifactNames
            console.out("\(statusWord(result.status)) \(path) -> \(output)/\(names.htmlFile) (\(RecordingHost.formatSeconds(result.seconds)))\n")
        }
        do {
            try SiteWriter.finish(site: site, lessons: rendered, sections: sections, output: folder, katex: katex)
        } catch {
            console.err("cannot write the course's home page: \(error)\n")
            status = 1
        }
        return status
    }

    /// Writes one lesson's Markdown, page, images and plots into `folder`, and the files its
    /// prose links to; returns the page's search sections. Without `site`, the page's site is
    /// the lesson's folder.
    @discardableResult
    public static func writeArtifacts(_ result: LessonResult, to folder: URL, katex: Bool? = nil, markdown: String? = nil,
                                      site: CourseSite? = nil, selfContained: Bool = false) throws -> [SearchIndex.Section] {
        let names = result.document.artifactNames
        func url(_ relative: String) throws -> URL {
            guard let url = ArtifactNames.url(of: relative, in: folder) else {
                throw UsageError("refusing to write outside the output folder: \(relative)")
            }
            return url
        }
        for run in result.runs {
            var images = 0, plots = 0, diagrams = 0
            for case .rich(let rich) in run.outputs {
                switch rich {
                case .image(let image):
                    images += 1
                    try ImageWriter.writePNG(image, to: url(names.imagePNG(cellID: run.id, index: images)))
                    try ImageWriter.writePGM(image, to: url(names.imagePGM(cellID: run.id, index: images)))
                case .plot(let plot):
                    plots += 1
                    try AtomicFile.write(SVGPlot.render(plot), to: url(names.plotSVG(cellID: run.id, index: plots)))
                case .diagram(let diagram):
                    diagrams += 1
                    try AtomicFile.write(TensorDiagram.render(diagram), to: url(names.diagramSVG(cellID: run.id, index: diagrams)))
                case .value, .table:
                    break
                }
            }
        }
        try AtomicFile.write(markdown ?? MarkdownRenderer.render(result), to: url(names.markdownFile))
        let course = site ?? CourseSite.around(lessonPath: result.document.path)
        var options = HTMLRenderer.Options(site: course.navigation,
                                           rewriteURL: course.urlRewriter(for: result.document.path, output: folder))
        if let katex, !katex { options.katexFolder = nil }
        options.selfContained = selfContained
        let page = try HTMLRenderer.page(result.rendered, artifacts: names, options: options)
        try AtomicFile.write(page.html, to: url(names.htmlFile))
        try SiteWriter.writeAssets(to: folder, sections: nil)
        return page.sections
    }

    static func statusWord(_ status: LessonStatus) -> String {
        switch status {
        case .passed: return "PASS"
        case .failed: return "FAIL"
        case .skipped: return "SKIP"
        }
    }
}
