import Foundation

/// `output/report.html`, the CI view for the teacher: every lesson with its status (passed,
/// failed, skipped and why), how long it took, and each failing cell with its message,
/// linking to its page. No student page links here.
public enum ReportPage {
    /// The report; `includeTimings: false` gives byte-stable output for golden files.
    public static func render(lessons: [RenderedLesson], title: String = "Report", includeTimings: Bool = true) -> String {
        let passed = lessons.filter { $0.status == .passed }.count
        let failed = lessons.filter { $0.status == .failed }.count
        let skipped = lessons.count - passed - failed
        var summary = "\(lessons.count) lesson\(lessons.count == 1 ? "" : "s"): \(passed) passed"
        if failed > 0 { summary += ", \(failed) failed" }
        if skipped > 0 { summary += ", \(skipped) skipped" }
        if includeTimings {
            summary += " · \(RecordingHost.formatSeconds(lessons.map(\.seconds).filter(\.isFinite).reduce(0, +))) in all"
        }

        var page = "<h1 id=\"report\">\(HTMLEscaping.escape(title))</h1>\n"
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
                for failure in failures(of: lesson) {
                    page += "<div class=\"lb-reason lb-failure\"><a href=\"\(HTMLEscaping.attribute(href))#\(HTMLEscaping.attribute(failure.anchor))\">line \(failure.line)</a>: \(HTMLEscaping.escape(failure.message))</div>"
                }
                page += "</td><td><span class=\"lb-badge \(status)\">\(status)</span></td>"
                if includeTimings {
                    let time = lesson.status == .passed || lesson.status == .failed ? RecordingHost.formatSeconds(lesson.seconds) : "–"
                    page += "<td class=\"lb-num\">\(time)</td>"
                }
                page += "</tr>\n"
            }
            page += "</tbody>\n</table>\n"
        }
        return PageShell.render(PageShell.Content(title: title, body: page, toc: "", mainClass: "lb-index lb-report",
                                                  currentFile: nil, math: false), options: HTMLRenderer.Options(katexFolder: nil))
    }

    /// The cells of `lesson` that failed, timed out or did not fail as expected: their anchor,
    /// line and the first line of their message.
    static func failures(of lesson: RenderedLesson) -> [(anchor: String, line: Int, message: String)] {
        var out: [(String, Int, String)] = []
        for case .cell(_, _, let run) in lesson.blocks {
            guard run.status.failsLesson, let wording = run.status.readerWording else { continue }
            let message = String(wording.text.split(separator: "\n").first ?? "")
            out.append(("cell-" + ArtifactNames.sanitize(run.id, fallback: "cell"), run.line, message))
        }
        return out
    }
}
