import Foundation
import XCTest
@testable import LessonRunner

final class ArtifactNamesTests: XCTestCase {
    func testNamesFollowTheLayout() {
        let names = ArtifactNames(lessonPath: "lessons/01-cross-correlation.md")
        XCTAssertEqual(names.slug, "01-cross-correlation")
        XCTAssertEqual(names.markdownFile, "01-cross-correlation.md")
        XCTAssertEqual(names.htmlFile, "01-cross-correlation.html")
        XCTAssertEqual(names.imagePNG(cellID: "edges", index: 2), "01-cross-correlation/edges-2.png")
        XCTAssertEqual(names.imagePGM(cellID: "3", index: 1), "01-cross-correlation/3-1.pgm")
        XCTAssertEqual(names.plotSVG(cellID: "loss", index: 1), "01-cross-correlation/loss-1.svg")
    }

    func testHostileNamesNeverLeaveTheOutputFolder() throws {
        let output = URL(fileURLWithPath: "/tmp/out")
        let hostile = ["..", ".", "../../etc/passwd", "/etc/passwd", "a/../../b", "..\\..\\x", "", "...", ".hidden",
                       "ü/é", "a b\tc", String(repeating: "x", count: 500), "\u{0}", "~/x", "C:\\x"]
        for slug in hostile {
            for cell in hostile {
                let names = ArtifactNames(slug: slug)
                XCTAssertFalse(names.slug.isEmpty)
                XCTAssertFalse(names.slug.hasPrefix("."), names.slug)
                for relative in [names.markdownFile, names.htmlFile, names.imagePNG(cellID: cell, index: 1),
                                 names.imagePGM(cellID: cell, index: 3), names.plotSVG(cellID: cell, index: 1)] {
                    XCTAssertTrue(relative.unicodeScalars.allSatisfy {
                        CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/").contains($0)
                    }, relative)
                    let url = try XCTUnwrap(ArtifactNames.url(of: relative, in: output), relative)
                    XCTAssertTrue(url.standardizedFileURL.path.hasPrefix("/tmp/out/"), url.path)
                    XCTAssertFalse(url.pathComponents.contains(".."))
                }
            }
        }
    }

    func testURLRejectsEscapingNames() {
        let output = URL(fileURLWithPath: "/tmp/out")
        for bad in ["../x", "/etc/passwd", "a/../../x", "", "./x", "a//b", ".git/config"] {
            XCTAssertNil(ArtifactNames.url(of: bad, in: output), bad)
        }
        XCTAssertEqual(ArtifactNames.url(of: "a/b.png", in: output)?.path, "/tmp/out/a/b.png")
    }

    func testSanitize() {
        XCTAssertEqual(ArtifactNames.sanitize("feature maps!"), "feature-maps-")
        XCTAssertEqual(ArtifactNames.sanitize(".."), "item")
        XCTAssertEqual(ArtifactNames.sanitize("../a", fallback: "c"), "-a")
        XCTAssertEqual(ArtifactNames.sanitize("v1.2_ok-x"), "v1.2_ok-x")
    }
}
