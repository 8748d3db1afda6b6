import Foundation

/// The frame every page shares: head (title with the course name, stylesheet, KaTeX), a skip
/// link, the top bar with the course name and search, the sidebar of lessons, the table of
/// contents, the main content and the scripts. Lesson pages, the home page and the report
/// all go through it, so they look and navigate alike.
enum PageShell {
    struct Content {
        /// The page's own title (the course name is added after it).
        var title: String
        /// The main content, already HTML.
        var body: String
        /// The "On this page" navigation, or "".
        var toc: String
        var mainClass: String
        /// The page's file name, marked in the sidebar.
        var currentFile: String?
        /// Whether the page has formulas (KaTeX is loaded only then).
        var math: Bool
    }

    static func render(_ content: Content, options: HTMLRenderer.Options) -> String {
        let site = options.site
        let inlineKaTeX = content.math && options.selfContained ? KaTeXAssets.inlined() : nil
        let katex = content.math && inlineKaTeX == nil ? options.katexFolder : nil
        var fullTitle = content.title
        if let course = site?.courseTitle, !course.isEmpty, course != content.title { fullTitle += " · \(course)" }

        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<meta name=\"generator\" content=\"lessonbook\">\n"
        page += "<title>\(HTMLEscaping.escape(fullTitle))</title>\n"
        if let katex {
            page += "<link rel=\"stylesheet\" href=\"\(HTMLEscaping.attribute(katex))/katex.min.css\">\n"
        }
        if let inlineKaTeX { page += "<style>\n\(inlineKaTeX.css)\n</style>\n" }
        if options.includeStylesheet { page += "<style>\n\(PageStyle.css)</style>\n" }
        page += "</head>\n<body>\n"
        page += "<a class=\"lb-skip\" href=\"#main\">Skip to content</a>\n"
        if let site { page += site.topBar() }
        let layout = site == nil ? "lb-layout lb-alone" : "lb-layout"
        page += "<div class=\"\(layout)\">\n"
        page += content.toc
        page += "<main id=\"main\" class=\"\(content.mainClass)\">\n\(content.body)</main>\n"
        if let site { page += site.sidebar(current: content.currentFile) }
        page += "</div>\n"
        page += "<footer class=\"lb-footer\">Made with lessonbook.</footer>\n"
        if let katex {
            page += "<script src=\"\(HTMLEscaping.attribute(katex))/katex.min.js\" defer></script>\n"
            page += "<script>\n\(mathScript)</script>\n"
        }
        if let inlineKaTeX {
            page += "<script>\n\(inlineKaTeX.script)\n</script>\n<script>\n\(mathScript)</script>\n"
        }
        if options.selfContained {
            page += "<script>\n\(SiteScript.source)</script>\n"
        } else if let site {
            for script in site.scripts { page += "<script src=\"\(HTMLEscaping.attribute(script))\" defer></script>\n" }
        }
        page += "</body>\n</html>\n"
        return page
    }

    /// Typesets every `.math` element once KaTeX (deferred) has loaded. Without KaTeX the
    /// TeX stays on the page as written; a formula KaTeX cannot parse is shown in red by
    /// KaTeX itself (`throwOnError: false`) instead of stopping the others.
    static let mathScript = """
    document.addEventListener("DOMContentLoaded", function () {
      if (typeof katex === "undefined") { return; }
      document.querySelectorAll(".math").forEach(function (el) {
        var tex = el.textContent;
        try {
          katex.render(tex, el, { displayMode: el.classList.contains("display"), throwOnError: false });
        } catch (e) {
          el.textContent = tex;
        }
      });
    });

    """
}
