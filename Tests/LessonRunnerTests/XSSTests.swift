import Foundation
import LessonScript
import XCTest
@testable import LessonRunner

/// Everything a cell produces is text on the page, never markup.
final class XSSTests: XCTestCase {
    func testPrintedScriptIsEscapedInTheHTMLPage() throws {
        let text = "# Hostile <img src=x onerror=alert(1)>\n\n```swift id=evil\nprint <script>alert(1)</script>\nimage <script>t</script>\nplot <b>p</b>\nvalue \"><script>v</script>\nfail <script>e</script>\n```\n"
        let result = LessonExecutor.fake().run(try LessonDocument(text: text, path: "lessons/x.md"))
        let html = HTMLRenderer.render(result.rendered, artifacts: result.document.artifactNames)
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the printed text is shown")
        XCTAssertFalse(html.contains("<script>alert(1)"))
        XCTAssertFalse(html.contains("<script>t</script>"))
        XCTAssertFalse(html.contains("<script>v</script>"))
        XCTAssertFalse(html.contains("<script>e</script>"))
        XCTAssertFalse(html.contains("<b>p</b>"))
        XCTAssertFalse(html.contains("<img src=x"))
    }

    /// What the site adds from lesson text — heading ids and anchors, the table of contents,
    /// the sidebar and previous/next (lesson titles), callouts, links, the search index — is
    /// escaped too, and prose cannot bring in script or a `javascript:` link.
    func testSiteNavigationAndProseAreEscaped() throws {
        let evil = "<script>alert(1)</script>"
        let prose = """
        # Title \(evil)

        ## Section "><img src=x onerror=alert(2)>

        ## Another \(evil)

        > [!WARNING]
        > \(evil) [click](javascript:alert(3))

        <script>alert(4)</script>

        | a | b |
        |---|---|
        | \(evil) | <img src=y onerror=alert(5)> |
        """
        let lesson = RenderedLesson(title: "T \(evil)", sourcePath: "x.md", slug: "x", blocks: [.prose(prose, firstLine: 1)],
                                    status: .passed, seconds: 0)
        var options = HTMLRenderer.Options(katexFolder: nil, includeStylesheet: false)
        options.site = SiteNavigation(courseTitle: "Course \(evil)", lessons: [
            .init(title: "First \(evil)", file: "x.html", description: evil), .init(title: "Second \"><b>", file: "y.html")])
        let page = try HTMLRenderer.page(lesson, artifacts: ArtifactNames(slug: "x"), options: options)
        for raw in ["<script>alert", "<img src=x", "<img src=y", "javascript:", "<b>", "onerror=alert(2)>"] {
            XCTAssertFalse(page.html.contains(raw), "\(raw) reached the page")
        }
        XCTAssertTrue(page.html.contains("lb-callout-warning"))
        XCTAssertTrue(page.html.contains("<title>T &lt;script&gt;"))
        let script = try SearchIndex.script(page.sections)
        XCTAssertFalse(script.contains("</script>"), "the index is JSON in a script file: no markup survives as markup")
        XCTAssertTrue(SiteWriter.lessonList(options.site!.lessons).contains("First &lt;script&gt;"))
    }
}
