import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import LessonRunner

/// A small course served on an ephemeral port, for the server's tests.
final class PreviewFixture {
    let folder: URL
    let lesson: URL
    let session: PreviewSession
    let server: PreviewServer
    private(set) var port: UInt16 = 0
    private var tasks: [Task<Void, Never>] = []

    static let lessonText = """
    # Live

    ```swift
    let x = 2
    print(x)
    ```

    ```output
    2
    ```

    ```swift
    print(x * 10)
    ```

    ```output
    20
    ```

    """

    init(name: String = "serve") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessonbook-\(name)-\(UUID().uuidString)")
        let lessons = folder.appendingPathComponent("lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        lesson = lessons.appendingPathComponent("01-live.md")
        try Self.lessonText.write(to: lesson, atomically: true, encoding: .utf8)
        let console = Console(githubAnnotations: false, out: { _ in }, err: { _ in })
        session = PreviewSession(lessons: [lesson.path], output: folder.appendingPathComponent("output"),
                                 cache: CellCache(root: folder.appendingPathComponent("cache")), console: console)
        try FileManager.default.createDirectory(at: session.folder, withIntermediateDirectories: true)
        try session.renderAll()
        server = try PreviewServer(session: session, port: 0)
    }

    func start() async throws {
        let server = self.server, session = self.session
        tasks.append(Task { try? await server.run() })
        tasks.append(Task { await session.watch(interval: 0.1) })
        port = try await server.waitUntilListening()
    }

    func stop() {
        for task in tasks { task.cancel() }
        try? FileManager.default.removeItem(at: folder)
    }

    var cookie: String { "lessonbook_token=\(server.token)" }
    var origin: String { "http://127.0.0.1:\(port)" }

    /// One request over a fresh connection, as a client writes it.
    func request(_ target: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil,
                 withCookie: Bool = true) -> RawHTTP.Reply {
        var lines = ["\(method) \(target) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Connection: close"]
        if withCookie { lines.append("Cookie: \(cookie)") }
        for (name, value) in headers { lines.append("\(name): \(value)") }
        if let body { lines.append("Content-Length: \(body.utf8.count)") }
        let raw = lines.joined(separator: "\r\n") + "\r\n\r\n" + (body ?? "")
        return RawHTTP.Reply(RawHTTP.exchange(Data(raw.utf8), port: port))
    }

    func post(_ endpoint: String, _ json: [String: Any]) -> RawHTTP.Reply {
        let body = String(data: try! JSONSerialization.data(withJSONObject: json), encoding: .utf8)!
        return request("/_lessonbook/\(endpoint)", method: "POST", headers: ["Origin": origin, "Content-Type": "application/json"], body: body)
    }
}

/// A test's own HTTP client over a POSIX socket: it must be able to send what no real client would.
enum RawHTTP {
    struct Reply {
        var status = 0
        var headers: [String: String] = [:]
        var body = ""
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }

        init(_ data: Data) {
            let text = String(decoding: data, as: UTF8.self)
            guard let split = text.range(of: "\r\n\r\n") else { return }
            let head = text[..<split.lowerBound].components(separatedBy: "\r\n")
            status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            body = String(text[split.upperBound...])
        }
    }

    /// A connected socket to 127.0.0.1:port with a receive timeout, or -1.
    static func connect(port: UInt16, timeout: Double = 5) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); return -1 }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func write(_ fd: Int32, _ data: Data) {
        data.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let n = send(fd, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                sent += n
            }
        }
    }

    /// Reads until the peer closes, the timeout passes, or `until` holds for what was read.
    static func read(_ fd: Int32, until done: (Data) -> Bool = { _ in false }) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
            if done(data) { break }
        }
        return data
    }

    /// Sends `raw` and reads the reply until the connection closes or its body is complete.
    static func exchange(_ raw: Data, port: UInt16, timeout: Double = 10) -> Data {
        let fd = connect(port: port, timeout: timeout)
        guard fd >= 0 else { return Data() }
        defer { close(fd) }
        write(fd, raw)
        return read(fd) { data in
            let reply = Reply(data)
            guard reply.status != 0, let length = reply.headers["content-length"].flatMap(Int.init) else { return false }
            return reply.body.utf8.count >= length
        }
    }
}
