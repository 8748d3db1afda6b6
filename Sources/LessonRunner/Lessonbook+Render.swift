import Foundation
import LessonScript

extension Lessonbook {
    /// `lessonbook render`: for each lesson writes `NAME.md`, `NAME.html`, each image as
    /// `NAME/CELL-K.png` and `.pgm`, each plot as `NAME/CELL-K.svg`, and the files its prose
    /// links to; then the site's home page `index.html`, the CI view `report.html`, the search
    /// index and the KaTeX assets. A failing lesson is still rendered (with its error at the cell) and the
    /// others go on; the status is 1 when any lesson failed or could not be read.
    ///
    /// Cells whose record in the cache is valid are not executed unless `fresh` (a prose-only
    /// edit executes nothing); each lesson's line says how many cells it executed and reused.
    /// A lesson whose `requires:` file is missing is rendered from its valid records, or else
    /// from the output blocks written in the lesson, with a note saying so.
    public static func render(paths: [String], output: String = "output", fresh: Bool = false, shard: Shard? = nil,
                              selfContained: Bool = false, console: Console = Console(), executor: () -> LessonExecutor = { LessonExecutor() }) throws -> Int32 {
        let lessons = Lessonbook.lessons(try lessonPaths(paths), inShard: shard)
        if let script = lessons.first(where: { $0.hasSuffix(".swift") }) {
            throw UsageError("render takes Markdown lessons; run a script with: lessonbook run \(script)")
        }
        try checkOutputNames(lessons: lessons, output: output, site: true)
        let folder = try ensureOutputFolder(output)
        let katex = try KaTeXAssets.install(into: folder)
        if !katex { console.err("warning: KaTeX (libjs-katex) is not installed; math is shown as written\n") }

        let site = CourseSite(lessonPaths: lessons)
        var rendered: [RenderedLesson] = []
        var sections: [SearchIndex.Section] = []
        var status: Int32 = 0
        var executed = 0, reused = 0
        for path in lessons {
            let document: LessonDocument
            do { document = try LessonDocument.load(path: path) } catch {
                console.err("\(error)\n")
                console.annotate(file: path, line: (error as? LessonInputError)?.line ?? 0, message: "\(error)")
                status = 1
                continue
            }
            let executor = executor()
            var result = executor.run(document, reuse: !fresh)
            reportProblems(result, console: console)
            if case .skipped = result.status { result = result.fromRecords(executor.recordedRuns(document)) }
            do {
                sections += try publish(result, to: folder, executor: executor, katex: katex, site: site, selfContained: selfContained)
            } catch {
                console.err("\(path): cannot write the rendered lesson: \(error)\n")
                status = 1
            }
            if result.status == .failed { status = 1 }
            rendered.append(result.rendered)
            executed += result.executedCells.count
            reused += result.reusedCells.count
            executor.cache?.enforceCap()
            console.out("\(console.verdict(result.status)) \(path) -> \(output)/\(document.artifactNames.htmlFile) (\(RecordingHost.formatSeconds(result.seconds)); \(result.executionSummary))\n")
        }
        do {
            try SiteWriter.finish(site: site, lessons: rendered, sections: sections, output: folder, katex: katex)
        } catch {
            console.err("cannot write the course's home page: \(error)\n")
            status = 1
        }
        if lessons.count > 1 { console.out("Rendered \(lessons.count) lessons: executed \(executed) cell\(executed == 1 ? "" : "s"), reused \(reused).\n") }
        return status
    }

    /// Writes a lesson's page after a run: cells the run did not reach show their valid
    /// record from the executor's cache. Under the lesson's lock, so that two commands
    /// publishing the same lesson at once each leave the other's fresh records in the page.
    /// Returns the page's search sections.
    @discardableResult
    static func publish(_ result: LessonResult, to folder: URL, executor: LessonExecutor, katex: Bool? = nil,
                        site: CourseSite? = nil, selfContained: Bool = false) throws -> [SearchIndex.Section] {
        guard let cache = executor.cache else {
            return try writeArtifacts(result, to: folder, katex: katex, site: site, selfContained: selfContained)
        }
        return try cache.withLessonLock(slug: result.document.artifactNames.slug) {
            try writeArtifacts(result.filled(with: executor.recordedRuns(result.document)), to: folder, katex: katex,
                               site: site, selfContained: selfContained)
        }
    }

    /// Writes one lesson's Markdown, page, images, plots and diagrams into `folder`, and the
    /// files its prose links to; returns the page's search sections. Without `site`, the
    /// page's site is the lesson's folder. Never follows a symbolic link out of the folder, and
    /// never writes over the lesson itself.
    @discardableResult
    public static func writeArtifacts(_ result: LessonResult, to folder: URL, katex: Bool? = nil,
                                      site: CourseSite? = nil, selfContained: Bool = false) throws -> [SearchIndex.Section] {
        let names = result.document.artifactNames
        let input = resolved(URL(fileURLWithPath: result.document.path)).path
        func url(_ relative: String) throws -> URL {
            guard let url = ArtifactNames.containedURL(of: relative, in: folder, resolvingFile: false) else {
                throw UsageError("refusing to write outside the output folder: \(relative)")
            }
            guard resolved(url).path != input else {
                throw UsageError("refusing to write \(relative) over the lesson \(result.document.path)")
            }
            return url
        }
        for run in result.runs {
            for artifact in names.artifacts(of: run.outputs, cellID: run.id) {
                guard case .rich(let rich) = run.outputs[artifact.outputIndex] else { continue }
                switch rich {
                case .image(let image):
                    try ImageWriter.writePNG(image, to: url(artifact.file))
                    if let pgm = artifact.pgm { try ImageWriter.writePGM(image, to: url(pgm)) }
                case .plot(let plot):
                    try AtomicFile.write(SVGPlot.render(plot), to: url(artifact.file))
                case .diagram(let diagram):
                    try AtomicFile.write(TensorDiagram.render(diagram), to: url(artifact.file))
                case .value, .table:
                    break
                }
            }
        }
        try AtomicFile.write(MarkdownRenderer.render(result), to: url(names.markdownFile))
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
}
