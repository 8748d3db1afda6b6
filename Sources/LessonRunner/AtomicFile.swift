import Foundation

/// Writes files so that a reader (or an interrupted run) sees either the old file or the
/// new one, never half of one: the data goes to a temporary file in the same folder, which
/// is then renamed over the target (rename is atomic within one file system).
///
/// The temporary is named `.NAME.PID.RANDOM.tmp`; one left behind by a process that was
/// killed in the write window is removed by the next write into that folder (only ones whose
/// process is gone). The new file keeps the mode of the file it replaces, 0644 for a new one.
public enum AtomicFile {
    /// How a write treats the file it replaces.
    public struct Options {
        /// Follow a symlink at the target and replace the file it points to (a lesson that is a
        /// link stays a link), instead of replacing the link itself.
        public var followSymlink = false
        /// `fsync` the data before the rename and the folder after it, so that a crash of the
        /// machine, not only of the process, leaves the old or the new content.
        public var durable = false
        /// The content the target must still have just before the rename; when it differs
        /// (someone saved the file meanwhile) nothing is written and `ChangedOnDisk` is thrown.
        public var expectedCurrentContent: Data?
        public init(followSymlink: Bool = false, durable: Bool = false, expectedCurrentContent: Data? = nil) {
            self.followSymlink = followSymlink; self.durable = durable; self.expectedCurrentContent = expectedCurrentContent
        }
    }

    /// The target changed between reading it and replacing it.
    public struct ChangedOnDisk: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "\(path) changed on disk while lessonbook was running; it was not updated (run the command again to record the outputs)"
        }
    }

    public static func write(_ data: Data, to url: URL, options: Options = Options()) throws {
        let target = options.followSymlink ? URL(fileURLWithPath: resolvingSymlinks(url.path)) : url
        let folder = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        removeStaleTemporaries(of: target)
        let temporary = folder.appendingPathComponent(
            ".\(target.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")

        // Keep the permissions of the file being replaced (a lesson may be read-only for
        // others); a new file gets 0644. Set exactly, whatever the umask.
        var status = stat()
        let mode: mode_t = stat(target.path, &status) == 0 ? status.st_mode & 0o7777 : 0o644
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(url, "cannot create temporary file \(temporary.path)") }
        var closed = false
        defer { if !closed { close(fd) } }
        do {
            try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < buffer.count {
                    let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw failure(url, "cannot write temporary file \(temporary.path)")
                    }
                    offset += n
                }
            }
            guard fchmod(fd, mode) == 0 else { throw failure(url, "cannot set the permissions of \(temporary.path)") }
            if options.durable, fsync(fd) != 0 { throw failure(url, "cannot flush \(temporary.path) to disk") }
            closed = true
            guard close(fd) == 0 else { throw failure(url, "cannot write temporary file \(temporary.path)") }
            if let expected = options.expectedCurrentContent {
                let current = FileManager.default.contents(atPath: target.path)
                guard current == expected else { throw ChangedOnDisk(path: url.path) }
            }
            guard rename(temporary.path, target.path) == 0 else { throw failure(url, "cannot replace file") }
        } catch {
            unlink(temporary.path)
            throw error
        }
        if options.durable { syncFolder(folder.path) }
    }

    public static func write(_ text: String, to url: URL, options: Options = Options()) throws {
        try write(Data(text.utf8), to: url, options: options)
    }

    private static func failure(_ url: URL, _ message: String) -> LessonInputError {
        LessonInputError(file: url.path, line: 0, message: "\(message): \(String(cString: strerror(errno)))")
    }

    /// The path a chain of symlinks ends at (relative links resolved against their folder).
    static func resolvingSymlinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = destination.hasPrefix("/") ? destination
                : (current as NSString).deletingLastPathComponent + "/" + destination
        }
        return current
    }

    private static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Removes `.NAME.PID.RANDOM.tmp` files beside `target` whose process no longer runs:
    /// what a kill in the write window left behind. Another live process's are left alone.
    static func removeStaleTemporaries(of target: URL) {
        let folder = target.deletingLastPathComponent().path
        let prefix = ".\(target.lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let parts = name.dropFirst(prefix.count).dropLast(4).split(separator: ".")
            guard parts.count == 2, let pid = Int32(parts[0]), UInt32(parts[1]) != nil, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + name) }
        }
    }
}
