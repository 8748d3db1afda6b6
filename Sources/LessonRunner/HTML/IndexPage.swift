import Foundation

/// `output/index.html`: every lesson with its status (passed, failed, skipped and why) and
/// how long it took, linking to its page.
public enum IndexPage {
    /// The index page; `includeTimings: false` gives byte-stable output for golden files.
    public static func render(lessons: [RenderedLesson], title: String = "Lessons", includeTimings: Bool = true) -> String {
        let passed = lessons.filter { $0.status == .passed }.count
        let failed = lessons.filter { $0.status == .failed }.count
        let skipped = lessons.count - passed - failed
        var summary = "\(lessons.count) lesson\(lessons.count == 1 ? "" : "s"): \(passed) passed"
        if failed > 0 { summary += ", \(failed) failed" }
        if skipped > 0 { summary += ", \(skipped) skipped" }
        if includeTimings {
            summary += " · \(HTMLRenderer.formatSeconds(lessons.map(\.seconds).filter(\.isFinite).reduce(0, +))) in all"
        }

        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<meta name=\"generator\" content=\"lessonbook\">\n"
        page += "<title>\(HTMLEscaping.escape(title))</title>\n"
        page += "<style>\n\(PageStyle.css)</style>\n</head>\n<body>\n"
        page += "<main class=\"lb-index\">\n<h1>\(HTMLEscaping.escape(title))</h1>\n"
        page += "<p class=\"lb-summary\">\(HTMLEscaping.escape(summary))</p>\n"
        if lessons.isEmpty {
            page += "<p>No lessons were rendered.</p>\n"
        } else {
            page += "<table>\n<thead><tr><th class=\"lb-num\">#</th><th>Lesson</th><th>Status</th>"
            if includeTimings { page += "<th class=\"lb-num\">Time</th>" }
            page += "</tr></thead>\n<tbody>\n"
            for (i, lesson) in lessons.enumerated() {
                let href = ArtifactNames(slug: lesson.slug).htmlFile
                let status = HTMLRenderer.statusName(lesson.status)
                page += "<tr data-status=\"\(status)\"><td class=\"lb-num\">\(i + 1)</td>"
                page += "<td class=\"lb-title\"><a href=\"\(HTMLEscaping.attribute(href))\">\(HTMLEscaping.escape(lesson.title.isEmpty ? lesson.slug : lesson.title))</a>"
                if case .skipped(let reason) = lesson.status {
                    page += "<div class=\"lb-reason\">\(HTMLEscaping.escape(reason))</div>"
                }
                page += "</td><td><span class=\"lb-badge \(status)\">\(status)</span></td>"
                if includeTimings {
                    let time = lesson.status == .passed || lesson.status == .failed ? HTMLRenderer.formatSeconds(lesson.seconds) : "–"
                    page += "<td class=\"lb-num\">\(time)</td>"
                }
                page += "</tr>\n"
            }
            page += "</tbody>\n</table>\n"
        }
        page += "</main>\n</body>\n</html>\n"
        return page
    }
}
