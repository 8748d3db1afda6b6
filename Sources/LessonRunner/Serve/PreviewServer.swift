import FlyingFox
import FlyingSocks
import Foundation

/// `lessonbook serve`: the course site over HTTP on one address, with live reload and the
/// page's Edit / Run / Save / Stop. Every request needs the session's token: from the URL's
/// `?token=` (which sets it as an `HttpOnly`, `SameSite=Strict` cookie) or from that cookie;
/// POSTs also need a same-origin `Origin`. Files are served only from the output folder.
public final class PreviewServer: @unchecked Sendable {
    public let session: PreviewSession
    public let token: String
    let host: String
    let server: HTTPServer
    /// Most bytes a request body may have.
    static let bodyLimit = 1 << 20
    static let cookieName = "lessonbook_token"

    /// A server for `session` on `host:port` (port 0: any free port).
    public init(session: PreviewSession, host: String = "127.0.0.1", port: UInt16, token: String = PreviewServer.newToken()) throws {
        // A tab that closes while its event stream is written must not end the process.
        signal(SIGPIPE, SIG_IGN)
        self.session = session
        self.token = token
        self.host = host
        let address: any SocketAddress = host.contains(":") ? try sockaddr_in6.inet6(ip6: host, port: port) : try sockaddr_in.inet(ip4: host, port: port)
        let handler = PreviewHandler()
        self.server = HTTPServer(config: .init(address: address, timeout: 15, logger: .disabled), handler: handler)
        handler.server = self
    }

    /// A random token of 32 hexadecimal digits.
    public static func newToken() -> String {
        (0..<4).map { _ in String(format: "%08x", UInt32.random(in: 0...UInt32.max)) }.joined()
    }

    /// The first port from `preferred` on that nothing listens on at `host`.
    public static func freePort(from preferred: UInt16 = 8265, tries: Int = 50, host: String = "127.0.0.1") -> UInt16 {
        for port in preferred..<(preferred &+ UInt16(tries)) {
            if let socket = try? Socket(domain: AF_INET, type: .stream) {
                defer { try? socket.close() }
                if let address = try? sockaddr_in.inet(ip4: host, port: port), (try? socket.bind(to: address)) != nil { return port }
            }
        }
        return 0
    }

    /// Serves until the task is cancelled.
    public func run() async throws {
        try await server.run()
    }

    /// Waits until the socket listens; returns its port.
    public func waitUntilListening() async throws -> UInt16 {
        try await server.waitUntilListening(timeout: 10)
        switch await server.listeningAddress {
        case .ip4(_, let port), .ip6(_, let port): return port
        default: return 0
        }
    }

    /// The address to open, token included.
    public func url(port: UInt16, page: String = "index.html") -> String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)/\(page)?token=\(token)"
    }
}

/// The one handler: checks the token, then serves files, events and the editing endpoints.
final class PreviewHandler: HTTPHandler, @unchecked Sendable {
    weak var server: PreviewServer?

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let server else { return Self.text(.serviceUnavailable, "stopping") }
        let fromURL = request.query["token"] == server.token
        guard fromURL || Self.cookie(PreviewServer.cookieName, in: request) == server.token else {
            return Self.text(.forbidden, "403: this lessonbook server needs the token printed when it started (open the URL it printed)")
        }
        var response = try await route(request, server: server)
        if fromURL {
            response.headers[HTTPHeader("Set-Cookie")] = "\(PreviewServer.cookieName)=\(server.token); HttpOnly; SameSite=Strict; Path=/"
        }
        return response
    }

    private func route(_ request: HTTPRequest, server: PreviewServer) async throws -> HTTPResponse {
        let session = server.session
        switch (request.method, request.path) {
        case (.GET, "/_lessonbook/events"):
            return events(session)
        case (.GET, "/_lessonbook/preview.js"):
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/javascript; charset=utf-8"], body: Data(PreviewScript.source.utf8))
        case (.GET, "/_lessonbook/lesson"):
            return Self.answer { try session.lessonInfo(page: request.query["page"] ?? "") }
        case (.POST, let path) where path.hasPrefix("/_lessonbook/"):
            guard let origin = request.headers[HTTPHeader("Origin")], let hostHeader = request.headers[.host],
                  origin == "http://\(hostHeader)" else {
                return Self.text(.forbidden, "403: POST needs a same-origin Origin header")
            }
            if let length = request.headers[.contentLength].flatMap(Int.init), length > PreviewServer.bodyLimit {
                return Self.text(.payloadTooLarge, "413: request bodies are limited to \(PreviewServer.bodyLimit) bytes")
            }
            var body = Data()
            for try await chunk in request.bodySequence {
                body.append(chunk)
                if body.count > PreviewServer.bodyLimit { return Self.text(.payloadTooLarge, "413: request body too large") }
            }
            guard let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
                return Self.text(.badRequest, "400: the body must be a JSON object")
            }
            let page = json["page"] as? String ?? "", cell = json["cell"] as? Int ?? 0, source = json["source"] as? String ?? ""
            switch path {
            case "/_lessonbook/run": return await Self.answerAsync { try await session.run(page: page, cell: cell, source: source) }
            case "/_lessonbook/save":
                return await Self.answerAsync { try await session.save(page: page, cell: cell, source: source, hash: json["hash"] as? String ?? "") }
            case "/_lessonbook/stop": session.stop(); return Self.json(.ok, ["stopped": true])
            default: return Self.text(.notFound, "404")
            }
        case (.GET, _), (.HEAD, _):
            return file(request.path, session: session)
        default:
            return Self.text(.methodNotAllowed, "405")
        }
    }

    /// A file of the output folder; pages get the preview script. Anything that would leave
    /// the folder — `..`, a symlink out — is 404.
    private func file(_ path: String, session: PreviewSession) -> HTTPResponse {
        guard let url = Self.contained(path, in: session.folder) else { return Self.text(.notFound, "404: not found") }
        guard var data = FileManager.default.contents(atPath: url.path) else { return Self.text(.notFound, "404: not found") }
        let type = Self.contentType(url.pathExtension)
        if url.pathExtension == "html", let page = String(data: data, encoding: .utf8) {
            let tag = "<script src=\"/_lessonbook/preview.js\" defer></script>"
            data = Data((page.range(of: "</body>", options: .backwards).map { page.replacingCharacters(in: $0, with: tag + "</body>") } ?? page + tag).utf8)
        }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: type, HTTPHeader("Cache-Control"): "no-store"], body: data)
    }

    /// The file `path` names in `folder` (`index.html` for a folder), or nil when it is not a
    /// regular file inside it after resolving every symbolic link (`ArtifactNames.containedURL`).
    static func contained(_ path: String, in folder: URL) -> URL? {
        let decoded = path.removingPercentEncoding ?? path
        guard !decoded.contains("\\"), !decoded.contains("\0") else { return nil }
        var components = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if components.isEmpty || decoded.hasSuffix("/") { components.append("index.html") }
        guard let url = ArtifactNames.containedURL(of: components.joined(separator: "/"), in: folder, resolvingFile: true) else { return nil }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { return nil }
        return url
    }

    private func events(_ session: PreviewSession) -> HTTPResponse {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let id = session.subscribe { page in
            let json = (try? JSONSerialization.data(withJSONObject: ["page": page])).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
            continuation.yield(EventStream.event("reload", data: json))
        }
        continuation.onTermination = { _ in session.unsubscribe(id) }
        continuation.yield(Array(": connected\n\n".utf8))
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/event-stream", HTTPHeader("Cache-Control"): "no-store"],
                            body: HTTPBodySequence(from: EventStream(events: stream)))
    }

    static func cookie(_ name: String, in request: HTTPRequest) -> String? {
        for header in request.headers.values(for: HTTPHeader("Cookie")) {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == name { return parts[1] }
            }
        }
        return nil
    }

    static func contentType(_ ext: String) -> String {
        switch ext.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "ttf": return "font/ttf"
        case "md", "txt", "pgm": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    static func text(_ status: HTTPStatusCode, _ message: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "text/plain; charset=utf-8"], body: Data((message + "\n").utf8))
    }

    static func json(_ status: HTTPStatusCode, _ object: [String: Any]) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return HTTPResponse(statusCode: status, headers: [.contentType: "application/json"], body: data)
    }

    static func failure(_ error: Error) -> HTTPResponse {
        switch error {
        case PreviewError.notFound: return json(.notFound, ["error": "\(error)"])
        case PreviewError.changedOnDisk: return json(.conflict, ["error": "\(error)"])
        default: return json(.badRequest, ["error": "\(error)"])
        }
    }

    static func answer(_ body: () throws -> [String: Any]) -> HTTPResponse {
        do { return json(.ok, try body()) } catch { return failure(error) }
    }

    static func answerAsync(_ body: () async throws -> [String: Any]) async -> HTTPResponse {
        do { return json(.ok, try await body()) } catch { return failure(error) }
    }
}
