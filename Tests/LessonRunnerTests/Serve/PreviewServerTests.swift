import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import LessonRunner

/// `lessonbook serve` over real sockets on an ephemeral port.
final class PreviewServerTests: XCTestCase {
    var fixture: PreviewFixture!

    override func setUp() async throws {
        fixture = try PreviewFixture()
        try await fixture.start()
    }

    override func tearDown() async throws {
        fixture.stop()
    }

    func testTokenIsRequiredAndBecomesAStrictHttpOnlyCookie() {
        XCTAssertEqual(fixture.request("/01-live.html", withCookie: false).status, 403)
        XCTAssertEqual(fixture.request("/01-live.html?token=wrong", withCookie: false).status, 403)
        XCTAssertEqual(fixture.request("/01-live.html", headers: ["Cookie": "lessonbook_token=wrong"], withCookie: false).status, 403)
        let first = fixture.request("/01-live.html?token=\(fixture.server.token)", withCookie: false)
        XCTAssertEqual(first.status, 200)
        let cookie = first.headers["set-cookie"] ?? ""
        XCTAssertTrue(cookie.hasPrefix("lessonbook_token=\(fixture.server.token);"), cookie)
        XCTAssertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie)
        let page = fixture.request("/01-live.html")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("/_lessonbook/preview.js"), "pages get the preview script")
        XCTAssertEqual(fixture.request("/_lessonbook/lesson?page=01-live.html", withCookie: false).status, 403)
        // POSTs also need a same-origin Origin.
        let body = #"{"page":"01-live.html","cell":2,"source":"print(1)"}"#
        XCTAssertEqual(fixture.request("/_lessonbook/run", method: "POST", body: body).status, 403)
        XCTAssertEqual(fixture.request("/_lessonbook/run", method: "POST", headers: ["Origin": "http://evil.example"], body: body).status, 403)
    }

    func testPathsOutsideTheOutputFolderAreRefused() throws {
        let outside = fixture.folder.appendingPathComponent("secret.txt")
        try "secret".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: fixture.session.folder.appendingPathComponent("link.txt"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(at: fixture.session.folder.appendingPathComponent("up"), withDestinationURL: fixture.folder)
        for target in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/link.txt", "/up/secret.txt", "/up/lessons/01-live.md",
                       "//etc/passwd", "/%2Fetc%2Fpasswd", "/output/../../secret.txt", "/.\\..\\secret.txt", "/a%00b"] {
            let reply = fixture.request(target)
            XCTAssertEqual(reply.status, 404, target)
            XCTAssertFalse(reply.body.contains("secret") && !reply.body.contains("404"), target)
        }
        XCTAssertEqual(fixture.request("/index.html").status, 200)
        XCTAssertEqual(fixture.request("/").status, 200)
    }

    func testAChangeOnDiskSendsAReloadWithinTwoSecondsAndThePageShowsTheNewOutput() throws {
        let fd = RawHTTP.connect(port: fixture.port, timeout: 3)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        RawHTTP.write(fd, Data("GET /_lessonbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(fixture.cookie)\r\n\r\n".utf8))
        let hello = RawHTTP.read(fd) { String(decoding: $0, as: UTF8.self).contains(": connected") }
        XCTAssertTrue(String(decoding: hello, as: UTF8.self).contains("text/event-stream"))

        let started = Date()
        try PreviewFixture.lessonText.replacingOccurrences(of: "print(x * 10)", with: "print(x * 21)")
            .write(to: fixture.lesson, atomically: true, encoding: .utf8)
        let event = RawHTTP.read(fd) { String(decoding: $0, as: UTF8.self).contains("event: reload") }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertTrue(String(decoding: event, as: UTF8.self).contains(#"data: {"page":"01-live.html"}"#), String(decoding: event, as: UTF8.self))
        XCTAssertLessThan(elapsed, 2)
        let page = fixture.request("/01-live.html")
        XCTAssertTrue(page.body.contains("42"), "the re-rendered page shows the new output")
        XCTAssertTrue(page.body.contains("x * 21") || page.body.contains("21"))
    }

    func testRunOfAnEditedCellExecutesOnlyThatCell() {
        let reply = fixture.post("run", ["page": "01-live.html", "cell": 2, "source": "print(x * 100)"])
        XCTAssertEqual(reply.status, 200, reply.body)
        XCTAssertEqual(reply.json["output"] as? String, "200")
        XCTAssertEqual(reply.json["status"] as? String, "passed")
        XCTAssertEqual(reply.json["executed"] as? Int, 1, "cell 1 comes from its record and the state after it")
        XCTAssertEqual(reply.json["executedCells"] as? [Int], [2])
        XCTAssertEqual(try String(contentsOf: fixture.lesson, encoding: .utf8), PreviewFixture.lessonText, "Run writes nothing")
        // An error in the edited cell comes back with its message.
        let failing = fixture.post("run", ["page": "01-live.html", "cell": 2, "source": "print(y)"])
        XCTAssertEqual(failing.json["status"] as? String, "failed")
        XCTAssertNotNil(failing.json["error"] as? String)
        XCTAssertEqual(fixture.post("run", ["page": "nope.html", "cell": 1, "source": ""]).status, 404)
        XCTAssertEqual(fixture.post("run", ["page": "01-live.html", "cell": 9, "source": ""]).status, 400)
    }

    func testSaveWritesTheCellAndItsOutputBlockAndRefusesAConflictingEdit() throws {
        let info = fixture.request("/_lessonbook/lesson?page=01-live.html").json
        let hash = try XCTUnwrap(info["hash"] as? String)
        let saved = fixture.post("save", ["page": "01-live.html", "cell": 2, "source": "print(x * 100)", "hash": hash])
        XCTAssertEqual(saved.status, 200, saved.body)
        let text = try String(contentsOf: fixture.lesson, encoding: .utf8)
        XCTAssertEqual(text, PreviewFixture.lessonText.replacingOccurrences(of: "print(x * 10)\n```\n\n```output\n20", with: "print(x * 100)\n```\n\n```output\n200"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.lesson.deletingLastPathComponent().path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "written through a temporary file and a rename")

        // Someone edits the file on disk: a save with the page's old hash is refused.
        let newHash = try XCTUnwrap(saved.json["hash"] as? String)
        let edited = text + "\nA note added in the editor.\n"
        try edited.write(to: fixture.lesson, atomically: true, encoding: .utf8)
        let refused = fixture.post("save", ["page": "01-live.html", "cell": 1, "source": "let x = 3\nprint(x)", "hash": newHash])
        XCTAssertEqual(refused.status, 409, refused.body)
        XCTAssertTrue((refused.json["error"] as? String ?? "").contains("changed on disk"))
        XCTAssertEqual(try String(contentsOf: fixture.lesson, encoding: .utf8), edited, "the edit on disk is kept")
    }

    func testAThousandMalformedOrOversizedRequestsLeaveTheServerAnswering() {
        var generator = SystemRandomNumberGenerator()
        // FlyingFox 0.27.1 reads a header line in time quadratic in its length (README: an 8 KB
        // line takes 2.8 s in a debug build and stalls other connections meanwhile), so the
        // long lines here stay at 512 bytes; oversized bodies are refused before being read.
        let big = String(repeating: "a", count: 512)
        let shapes: [(Int) -> Data] = [
            { _ in Data((0..<200).map { _ in UInt8.random(in: 0...255, using: &generator) }) },
            { _ in Data("GET /\(big) HTTP/1.1\r\nHost: x\r\n\r\n".utf8) },
            { _ in Data("GET / HTTP/1.1\r\nX: \(big)\r\n\r\n".utf8) },
            { _ in Data("POST /_lessonbook/run HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\nabc".utf8) },
            { _ in Data("POST /_lessonbook/run HTTP/1.1\r\nContent-Length: -5\r\n\r\n".utf8) },
            { _ in Data("POST /_lessonbook/run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnope\r\n".utf8) },
            { _ in Data("\r\n\r\n\r\n".utf8) },
            { _ in Data("GET\r\n".utf8) },
            { _ in Data("BREW /coffee HTTP/9.9\r\n\r\n".utf8) },
            { i in Data("GET /\(String(repeating: "../", count: i % 50))etc/passwd HTTP/1.1\r\n\r\n".utf8) },
        ]
        for i in 0..<1000 {
            let fd = RawHTTP.connect(port: fixture.port, timeout: 0.05)
            XCTAssertGreaterThanOrEqual(fd, 0, "connection \(i) refused")
            if fd < 0 { break }
            RawHTTP.write(fd, shapes[i % shapes.count](i))
            if i % 10 == 0 { _ = RawHTTP.read(fd) }
            close(fd)
        }
        // An oversized body is refused before it is read.
        let oversized = fixture.request("/_lessonbook/run", method: "POST", headers: ["Origin": fixture.origin], body: String(repeating: "x", count: 2_000_000))
        XCTAssertEqual(oversized.status, 413)
        XCTAssertEqual(fixture.request("/01-live.html").status, 200, "still serving")
        XCTAssertEqual(fixture.post("run", ["page": "01-live.html", "cell": 2, "source": "print(x)"]).json["output"] as? String, "2")
    }
}
