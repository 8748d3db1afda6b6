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
}
