import Foundation

/// Writes the course-level files of a rendered site: the home page (`index.html`, from the
/// course's README and the list of lessons), the CI report (`report.html`), the search index
/// and the page script (`assets/`).
public enum SiteWriter {
    /// Where the README asks for the generated list of lessons (replacing what is between).
    static let listStart = "<!-- lessons -->", listEnd = "<!-- /lessons -->"

    /// Writes everything but the lesson pages. `sections` are the lesson pages' search sections.
    public static func finish(site: CourseSite, lessons: [RenderedLesson], sections: [SearchIndex.Section],
                              output: URL, katex: Bool) throws {
        var options = HTMLRenderer.Options(site: site.navigation)
        if !katex { options.katexFolder = nil }
        let home = try homePage(site: site, output: output, options: options)
        try AtomicFile.write(home.html, to: output.appendingPathComponent(site.navigation.home))
        try AtomicFile.write(ReportPage.render(lessons: lessons, title: "Report · \(site.navigation.courseTitle)"),
                             to: output.appendingPathComponent("report.html"))
        try writeAssets(to: output, sections: home.sections + sections)
    }

    /// `assets/lessonbook.js`, and `assets/search-index.js` when `sections` is given (a lone
    /// `run` or `watch` leaves the course's index alone).
    public static func writeAssets(to output: URL, sections: [SearchIndex.Section]?) throws {
        let assets = output.appendingPathComponent("assets", isDirectory: true)
        try FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
        try writeIfChanged(SiteScript.source, to: assets.appendingPathComponent("lessonbook.js"))
        let index = assets.appendingPathComponent("search-index.js")
        if let sections {
            try writeIfChanged(SearchIndex.script(sections), to: index)
        } else if !FileManager.default.fileExists(atPath: index.path) {
            try AtomicFile.write(SearchIndex.script([]), to: index)
        }
    }

    /// The home page: the README's prose (its title is the course's) with the list of lessons
    /// where the README has `<!-- lessons -->` … `<!-- /lessons -->`, else at the end.
    static func homePage(site: CourseSite, output: URL, options: HTMLRenderer.Options) throws -> HTMLRenderer.Page {
        var options = options
        var blocks: [RenderedLesson.Block] = []
        var listAt: Int?
        if let readme = site.readme {
            let text = try String(contentsOf: readme, encoding: .utf8)
            var lines = text.linesSplitAtNewline
            var first = 1
            if let (_, count, _) = try FrontMatter.parse(lines: lines.map { Substring($0) }, file: readme.path) {
                lines.removeFirst(count)
                first += count
            }
            if let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == listStart }) {
                let end = lines[start...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == listEnd }) ?? start
                blocks.append(.prose(lines[..<start].joined(separator: "\n"), firstLine: first))
                listAt = blocks.count
                blocks.append(.prose(lines[(end + 1)...].joined(separator: "\n"), firstLine: first + end + 1))
            } else {
                blocks.append(.prose(lines.joined(separator: "\n"), firstLine: first))
            }
            options.rewriteURL = site.urlRewriter(for: readme.path, output: output)
        }
        let navigation = site.navigation
        var pieces: [ProsePiece] = []
        for (i, block) in blocks.enumerated() {
            if i == listAt { pieces.append(.placeholder(0)) }
            if case .prose(let text, let line) = block { pieces.append(.prose(text, firstLine: line)) }
        }
        if listAt == nil { pieces.append(.placeholder(0)) }
        let prose = try ProseDocument.render(pieces, file: site.readme?.path ?? "README.md", rewriteURL: options.rewriteURL)
        var body = prose.html(with: [lessonList(navigation.lessons)])
        if !prose.headings.contains(where: { $0.level == 1 }) {
            body = "<h1>\(HTMLEscaping.escape(navigation.courseTitle))</h1>\n" + body
        }
        body += navigation.pager(current: navigation.home)
        let html = PageShell.render(PageShell.Content(title: navigation.courseTitle, body: body, toc: prose.tableOfContents,
                                                      mainClass: "lb-lesson lb-home", currentFile: navigation.home,
                                                      math: prose.hasMath), options: options)
        return HTMLRenderer.Page(html: html, sections: SearchIndex.sections(title: navigation.courseTitle, file: navigation.home,
                                                                            html: prose.searchableHTML))
    }

    /// The lessons in order, each with its description.
    static func lessonList(_ lessons: [SiteNavigation.Lesson]) -> String {
        var html = "<ol class=\"lb-lesson-list\">\n"
        for lesson in lessons {
            html += "<li><a href=\"\(HTMLEscaping.attribute(lesson.file))\">\(HTMLEscaping.escape(lesson.title))</a>"
            if let description = lesson.description, !description.isEmpty {
                html += "<p>\(HTMLEscaping.escape(description))</p>"
            }
            html += "</li>\n"
        }
        return html + "</ol>\n"
    }

    private static func writeIfChanged(_ text: String, to url: URL) throws {
        if let old = try? String(contentsOf: url, encoding: .utf8), old == text { return }
        try AtomicFile.write(text, to: url)
    }
}
