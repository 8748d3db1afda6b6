import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import LessonRunner

/// The live preview in real Chromium, driven through chromedriver's WebDriver HTTP protocol:
/// edit a cell, run it, save it into the lesson, and see the page reload after an edit on disk.
final class PreviewBrowserTests: XCTestCase {
    func testEditRunSaveAndReloadInChromium() async throws {
        let driverPath = "/usr/bin/chromedriver"
        guard let chromium = BrowserHarness.chromiumPath(), FileManager.default.isExecutableFile(atPath: driverPath) else {
            throw XCTSkip("Chromium or chromedriver is not installed (Debian: chromium chromium-driver; `make install-test`)")
        }
        let fixture = try PreviewFixture(name: "browser")
        try await fixture.start()
        defer { fixture.stop() }

        let port = PreviewServer.freePort(from: UInt16.random(in: 20000...40000))
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: driverPath)
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        defer {
            // chromedriver may outlive SIGTERM; waitUntilExit would then never return.
            driver.terminate()
            for _ in 0..<50 where driver.isRunning { usleep(50_000) }
            if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
        }
        let web = WebDriver(port: port)
        try await web.waitUntilReady()
        let profile = fixture.folder.appendingPathComponent("profile").path
        let session = try web.call("POST", "/session", ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": [
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1000,760",
                     "--hide-scrollbars", "--user-data-dir=\(profile)"]]]]])
        let id = try XCTUnwrap((session["value"] as? [String: Any])?["sessionId"] as? String, "\(session)")
        defer { _ = try? web.call("DELETE", "/session/\(id)") }

        _ = try web.call("POST", "/session/\(id)/url", ["url": fixture.server.url(port: fixture.port, page: "01-live.html")])
        let edit = try await web.element(id, "#cell-2 .lb-edit")
        _ = try web.call("POST", "/session/\(id)/element/\(edit)/click", [:])
        let editor = try await web.element(id, "#cell-2 .lb-editor")
        _ = try web.call("POST", "/session/\(id)/element/\(editor)/clear", [:])
        _ = try web.call("POST", "/session/\(id)/element/\(editor)/value", ["text": "print(x * 7)"])
        _ = try web.call("POST", "/session/\(id)/element/\(try await web.element(id, "#cell-2 .lb-run"))/click", [:])
        try await web.waitFor(id, "var o = document.querySelector('#cell-2 .lb-live-output'); return o !== null && o.textContent === '14';",
                              "the new output in the page")
        let status = try web.script(id, "return document.querySelector('#cell-2 .lb-live-status').textContent;") as? String ?? ""
        XCTAssertTrue(status.contains("1 cell ran"), status)
        if let folder = ProcessInfo.processInfo.environment["LESSONBOOK_RECORD_SCREENSHOT"] {
            let shot = try web.call("GET", "/session/\(id)/screenshot")
            if let base64 = shot["value"] as? String, let png = Data(base64Encoded: base64) {
                try png.write(to: URL(fileURLWithPath: folder).appendingPathComponent("live-preview.png"))
            }
        }

        // Save: the cell and its output block are written into the lesson; the page reloads.
        _ = try web.script(id, "window.lbBeforeReload = true; return true;")
        _ = try web.call("POST", "/session/\(id)/element/\(try await web.element(id, "#cell-2 .lb-save"))/click", [:])
        let deadline = Date().addingTimeInterval(10)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOf: fixture.lesson, encoding: .utf8)) ?? ""
            if text.contains("print(x * 7)\n```\n\n```output\n14\n```") { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        XCTAssertTrue(text.contains("print(x * 7)\n```\n\n```output\n14\n```"), text)
        try await web.waitFor(id, "return window.lbBeforeReload === undefined && document.readyState === 'complete';", "the reload after Save")

        // An edit on disk reloads the open page with the new output.
        _ = try web.script(id, "window.lbBeforeReload = true; return true;")
        try text.replacingOccurrences(of: "let x = 2", with: "let x = 5").write(to: fixture.lesson, atomically: true, encoding: .utf8)
        try await web.waitFor(id, "return window.lbBeforeReload === undefined && document.body.textContent.indexOf('35') >= 0;",
                              "the reload after an edit on disk")
    }
}

/// Just enough of the WebDriver protocol, over the tests' raw HTTP client.
struct WebDriver {
    let port: UInt16

    static func trace(_ text: String) {
        if ProcessInfo.processInfo.environment["LESSONBOOK_TRACE_WEBDRIVER"] != nil { FileHandle.standardError.write(Data("\(Date()) \(text)\n".utf8)) }
    }

    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) throws -> [String: Any] {
        Self.trace("\(method) \(path)")
        var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Connection: close", "Content-Type: application/json"]
        var payload = Data()
        if let body { payload = try JSONSerialization.data(withJSONObject: body) }
        lines.append("Content-Length: \(payload.count)")
        let reply = RawHTTP.Reply(RawHTTP.exchange(Data((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + payload, port: port, timeout: 30))
        let json = reply.json
        if let value = json["value"] as? [String: Any], let error = value["error"] as? String {
            throw BrowserHarness.BrowserError("WebDriver \(method) \(path): \(error): \(value["message"] ?? "")")
        }
        return json
    }

    func waitUntilReady() async throws {
        for _ in 0..<100 {
            if ((try? call("GET", "/status"))?["value"] as? [String: Any])?["ready"] as? Bool == true { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw BrowserHarness.BrowserError("chromedriver did not start")
    }

    func script(_ session: String, _ source: String) throws -> Any? {
        try call("POST", "/session/\(session)/execute/sync", ["script": source, "args": []])["value"]
    }

    func waitFor(_ session: String, _ condition: String, _ what: String, timeout: Double = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? script(session, condition)) as? Bool == true { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw BrowserHarness.BrowserError("timed out waiting for \(what)")
    }

    /// The id of the first element matching `css`, waiting for it to appear.
    func element(_ session: String, _ css: String) async throws -> String {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let value = (try? call("POST", "/session/\(session)/element", ["using": "css selector", "value": css]))?["value"] as? [String: Any],
               let id = value["element-6066-11e4-a52e-4f735466cecf"] as? String { return id }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw BrowserHarness.BrowserError("no element \(css)")
    }
}
