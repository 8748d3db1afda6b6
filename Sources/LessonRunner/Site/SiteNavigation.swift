import Foundation

/// What every page of a course knows about the others: the course title, the lessons in
/// order (title, page, description), and the shared scripts. It draws the top bar, the
/// sidebar and the previous/next links.
public struct SiteNavigation {
    public struct Lesson: Equatable {
        public var title: String
        /// The page, relative to the output folder: `01-cross-correlation.html`.
        public var file: String
        public var description: String?
        public init(title: String, file: String, description: String? = nil) {
            self.title = title; self.file = file; self.description = description
        }
    }

    public var courseTitle: String
    public var lessons: [Lesson]
    /// The home page.
    public var home = "index.html"
    /// The search index and the page script, relative to the output folder.
    public var scripts = ["assets/search-index.js", "assets/lessonbook.js"]

    public init(courseTitle: String, lessons: [Lesson]) {
        self.courseTitle = courseTitle; self.lessons = lessons
    }

    /// The course name (a link home), a jump to the lesson list, and the search box (shown by
    /// the script: without script there is nothing to search with).
    func topBar() -> String {
        var html = "<header class=\"lb-topbar\"><div class=\"lb-topbar-inner\">"
        html += "<a class=\"lb-course\" href=\"\(HTMLEscaping.attribute(home))\">\(HTMLEscaping.escape(courseTitle))</a>"
        html += "<a class=\"lb-lessons-link\" href=\"#lb-sidebar\">Lessons</a>"
        html += "<div class=\"lb-search\" role=\"search\" hidden><input type=\"search\" id=\"lb-search-input\" placeholder=\"Search the course\" aria-label=\"Search the course\" autocomplete=\"off\">"
        html += "<ol class=\"lb-search-results\" id=\"lb-search-results\" hidden></ol></div>"
        html += "</div></header>\n"
        return html
    }

    /// The lessons in order, the current one marked with `aria-current`.
    func sidebar(current: String?) -> String {
        var html = "<nav id=\"lb-sidebar\" class=\"lb-sidebar\" aria-label=\"Lessons\">"
        let homeCurrent = current == home ? " aria-current=\"page\"" : ""
        html += "<a class=\"lb-sidebar-home\" href=\"\(HTMLEscaping.attribute(home))\"\(homeCurrent)>\(HTMLEscaping.escape(courseTitle))</a>\n<ol>\n"
        for lesson in lessons {
            let mark = lesson.file == current ? " aria-current=\"page\"" : ""
            html += "<li><a href=\"\(HTMLEscaping.attribute(lesson.file))\"\(mark)>\(HTMLEscaping.escape(lesson.title))</a></li>\n"
        }
        html += "</ol></nav>\n"
        return html
    }

    /// Previous and next: the home page before the first lesson; nothing after the last.
    func pager(current: String) -> String {
        var previous: (title: String, file: String)?
        var next: (title: String, file: String)?
        if current == home {
            next = lessons.first.map { ($0.title, $0.file) }
        } else if let index = lessons.firstIndex(where: { $0.file == current }) {
            previous = index == 0 ? (courseTitle, home) : (lessons[index - 1].title, lessons[index - 1].file)
            if index + 1 < lessons.count { next = (lessons[index + 1].title, lessons[index + 1].file) }
        }
        guard previous != nil || next != nil else { return "" }
        var html = "<nav class=\"lb-pager\" aria-label=\"Previous and next\">"
        if let previous {
            html += "<a class=\"lb-prev\" rel=\"prev\" href=\"\(HTMLEscaping.attribute(previous.file))\"><span>Previous</span>\(HTMLEscaping.escape(previous.title))</a>"
        }
        if let next {
            html += "<a class=\"lb-next\" rel=\"next\" href=\"\(HTMLEscaping.attribute(next.file))\"><span>Next</span>\(HTMLEscaping.escape(next.title))</a>"
        }
        html += "</nav>\n"
        return html
    }
}
