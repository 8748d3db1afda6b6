import Foundation

extension Lessonbook {
    /// `lessonbook serve`: renders the course through the cache, then serves it on `host`
    /// (the first free port from `port`, 8265 unless given) with live reload and in-page
    /// editing (see `PreviewServer`), until Ctrl-C. Prints the URL with its token.
    public static func serve(paths: [String], output: String = "output", host: String = "127.0.0.1", port: UInt16? = nil,
                             open: Bool = false, cache: CellCache?, console: Console = Console()) throws -> Int32 {
        let lessons = try lessonPaths(paths)
        if let script = lessons.first(where: { $0.hasSuffix(".swift") }) {
            throw UsageError("serve takes Markdown lessons; run a script with: lessonbook run \(script)")
        }
        if host != "127.0.0.1", host != "::1", host != "localhost" {
            console.err("warning: serving on \(host): anyone who can reach it and has the token can run code on this machine\n")
        }
        let session = PreviewSession(lessons: lessons, output: try ensureOutputFolder(output), cache: cache, console: console)
        try session.renderAll()
        let chosen = port ?? PreviewServer.freePort(host: host == "localhost" ? "127.0.0.1" : host)
        let server = try PreviewServer(session: session, host: host == "localhost" ? "127.0.0.1" : host, port: chosen)
        let finished = DispatchSemaphore(value: 0)
        var failure: Error?
        let serving = Task {
            do { try await server.run() } catch { if !Task.isCancelled { failure = error } }
            finished.signal()
        }
        let watching = Task { await session.watch() }
        let listening = Task {
            let bound = try await server.waitUntilListening()
            let url = server.url(port: bound, page: lessons.count == 1 ? ArtifactNames(lessonPath: lessons[0]).htmlFile : "index.html")
            console.out("Serving \(lessons.count) lesson\(lessons.count == 1 ? "" : "s") at \(url)\n(Ctrl-C to stop)\n")
            if open { _ = try? Process.run(URL(fileURLWithPath: "/usr/bin/env"), arguments: ["xdg-open", url]) }
        }
        // Ctrl-C: stop serving and watching, then return.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { serving.cancel(); watching.cancel(); listening.cancel() }
        interrupt.resume()
        finished.wait()
        watching.cancel()
        interrupt.cancel()
        if let failure { throw UsageError("cannot serve on \(host):\(chosen): \(failure)") }
        console.err("stopped\n")
        return 0
    }
}
