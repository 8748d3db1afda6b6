import Foundation
import TensorEngine

/// The cache of cell run records and interpreter states, shared by every command (and safe
/// for several lessonbook processes at once). Below its folder (`.lessonbook/cache` by
/// default):
///
///     lessons/<slug>/<key>.record     a cell's `CellRecord` (JSON), under its `CellKey`
///     lessons/<slug>/<key>.snapshot   the interpreter state after that cell
///     blobs/<content key>.f32         large tensors the snapshots name, stored once for all
///
/// Every file carries a checksum (`CacheFile`) and is replaced by an atomic rename; a file
/// that is missing, truncated or corrupted reads as absent (and is deleted), so the cell
/// simply runs again. The folder is kept under `capBytes` by deleting the least recently
/// used files (reading a record or snapshot marks it used), under a lock: large states and
/// blobs first, then small states, records last, since records are small and spare the most
/// work (a page is published from records alone; a state only shortens the run of a changed cell).
public final class CellCache {
    /// The cache folder.
    public let root: URL
    /// Most bytes the folder may hold after `enforceCap()`.
    public var capBytes: Int64

    public static let defaultCap: Int64 = 1 << 30

    public init(root: URL, capBytes: Int64 = CellCache.defaultCap) {
        self.root = root.standardizedFileURL
        self.capBytes = capBytes
    }

    // MARK: Records and snapshots

    /// The valid record of the cell with `key`, or nil (a damaged file is deleted).
    public func record(_ key: CellKey, slug: String) -> CellRecord? {
        guard let payload = read(recordURL(key, slug)) else { return nil }
        guard let record = try? JSONDecoder().decode(CellRecord.self, from: Data(payload)) else {
            try? FileManager.default.removeItem(at: recordURL(key, slug))
            return nil
        }
        return record
    }

    /// Stores a cell's record (replacing any under the same key).
    public func store(_ record: CellRecord, key: CellKey, slug: String) {
        guard let data = try? JSONEncoder().encode(record) else { return }
        write([UInt8](data), to: recordURL(key, slug))
    }

    /// Deletes the record of the cell with `key` (its state stays), so that it runs again.
    public func forget(_ key: CellKey, slug: String) {
        try? FileManager.default.removeItem(at: recordURL(key, slug))
    }

    /// The interpreter state after the cell with `key`, or nil.
    public func snapshot(_ key: CellKey, slug: String) -> [UInt8]? {
        read(snapshotURL(key, slug))
    }

    public func hasSnapshot(_ key: CellKey, slug: String) -> Bool {
        FileManager.default.fileExists(atPath: snapshotURL(key, slug).path)
    }

    /// Stores a state: the large tensors first (each once, by content), then the archive, so
    /// a snapshot never names a blob that was not written.
    public func storeSnapshot(archive: [UInt8], blobs: [String: Tensor], key: CellKey, slug: String) {
        for (name, tensor) in blobs {
            guard let url = blobURL(name) else { return }
            if FileManager.default.fileExists(atPath: url.path) { touch(url); continue }
            tensor.withUnsafeBufferPointer { write(UnsafeRawBufferPointer($0), to: url) }
        }
        write(archive, to: snapshotURL(key, slug))
    }

    /// Whether a blob is stored (not whether it is intact: reading it checks that).
    public func hasBlob(_ name: String) -> Bool {
        blobURL(name).map { FileManager.default.fileExists(atPath: $0.path) } ?? false
    }

    /// The bytes of a blob a snapshot names, checked; nil when missing or damaged.
    public func blob(_ name: String) -> [UInt8]? {
        guard let url = blobURL(name) else { return nil }
        return read(url)
    }

    /// The identity of a lesson's `requires:` files when it last ran (`CellKey.requirementIdentity`),
    /// so that its records can still be found while a file is missing.
    public func lastRequirements(slug: String) -> String? {
        read(lessonFolder(slug).appendingPathComponent("requirements")).map { String(decoding: $0, as: UTF8.self) }
    }

    public func storeRequirements(_ identity: String, slug: String) {
        guard lastRequirements(slug: slug) != identity else { return }
        write(Array(identity.utf8), to: lessonFolder(slug).appendingPathComponent("requirements"))
    }

    // MARK: Locks

    /// Runs `body` holding the lock of one lesson (two processes writing its page take turns).
    public func withLessonLock<T>(slug: String, _ body: () throws -> T) rethrows -> T {
        try FileLock.holding(root.appendingPathComponent("locks/\(ArtifactNames.sanitize(slug)).lock"), body)
    }

    // MARK: Size

    /// Deletes the least recently used files until the cache is under its cap (large states and
    /// blobs, then small states, then records), and leftover temporary files. Returns how many
    /// bytes it freed.
    @discardableResult
    public func enforceCap() -> Int64 {
        FileLock.holding(root.appendingPathComponent("lock")) {
            var files = listFiles()
            var total = files.reduce(0) { $0 + $1.size }
            var freed: Int64 = 0
            let staleTemporary = Date().addingTimeInterval(-3600)
            files.sort { ($0.tier, $0.used) < ($1.tier, $1.used) }
            for file in files where total > capBytes || (file.isTemporary && file.used < staleTemporary) {
                if (try? FileManager.default.removeItem(at: file.url)) != nil {
                    total -= file.size
                    freed += file.size
                }
            }
            return freed
        }
    }

    /// What `lessonbook cache info` shows.
    public struct Info: Equatable {
        public var bytes: Int64
        public var capBytes: Int64
        /// Cell records per lesson slug.
        public var recordsPerLesson: [String: Int]
        /// Bytes per lesson slug (records and snapshots).
        public var bytesPerLesson: [String: Int64]
        public var blobs: Int
        public var blobBytes: Int64
    }

    public func info() -> Info {
        var info = Info(bytes: 0, capBytes: capBytes, recordsPerLesson: [:], bytesPerLesson: [:], blobs: 0, blobBytes: 0)
        let lessons = root.appendingPathComponent("lessons").path + "/"
        let blobs = root.appendingPathComponent("blobs").path + "/"
        for file in listFiles() {
            info.bytes += file.size
            let path = file.url.path
            if path.hasPrefix(lessons) {
                let slug = String(path.dropFirst(lessons.count).prefix { $0 != "/" })
                info.bytesPerLesson[slug, default: 0] += file.size
                if path.hasSuffix(".record") { info.recordsPerLesson[slug, default: 0] += 1 }
            } else if path.hasPrefix(blobs) {
                info.blobs += 1
                info.blobBytes += file.size
            }
        }
        return info
    }

    /// Deletes what can no longer be used: damaged files, snapshots without their record,
    /// files of an older layout, temporary files; then enforces the cap. Returns the bytes freed.
    @discardableResult
    public func prune() -> Int64 {
        var freed: Int64 = 0
        let lessons = root.appendingPathComponent("lessons").path + "/"
        let blobs = root.appendingPathComponent("blobs").path + "/"
        let locks = root.appendingPathComponent("locks").path + "/"
        for file in listFiles() {
            let path = file.url.path
            var useless = file.isTemporary
            if path.hasPrefix(locks) || path == root.appendingPathComponent("lock").path { continue }
            if !path.hasPrefix(lessons) && !path.hasPrefix(blobs) {
                useless = true
            } else if path.hasSuffix(".snapshot") {
                useless = !FileManager.default.fileExists(atPath: String(path.dropLast(".snapshot".count)) + ".record")
                    || read(file.url) == nil
            } else if path.hasSuffix(".record") || path.hasSuffix(".f32") {
                useless = CacheFile.decode(FileManager.default.contents(atPath: path) ?? Data()) == nil
            }
            if useless, (try? FileManager.default.removeItem(at: file.url)) != nil { freed += file.size }
        }
        return freed + enforceCap()
    }

    /// Deletes the whole cache folder.
    public func clear() throws {
        guard FileManager.default.fileExists(atPath: root.path) else { return }
        try FileManager.default.removeItem(at: root)
    }

    // MARK: Files

    func recordURL(_ key: CellKey, _ slug: String) -> URL { lessonFolder(slug).appendingPathComponent(key.value + ".record") }
    func snapshotURL(_ key: CellKey, _ slug: String) -> URL { lessonFolder(slug).appendingPathComponent(key.value + ".snapshot") }

    private func lessonFolder(_ slug: String) -> URL {
        root.appendingPathComponent("lessons", isDirectory: true)
            .appendingPathComponent(ArtifactNames.sanitize(slug, fallback: "lesson"), isDirectory: true)
    }

    private func blobURL(_ name: String) -> URL? {
        // Content keys are hex digits and dashes; anything else is not ours.
        guard !name.isEmpty, name.count <= 200, name.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return nil }
        return root.appendingPathComponent("blobs", isDirectory: true).appendingPathComponent(name + ".f32")
    }

    /// A checked file's payload; a damaged file is deleted (it is rewritten by the next run).
    private func read(_ url: URL) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        guard let payload = CacheFile.decode(data) else {
            try? FileManager.default.removeItem(at: url)
            return nil
        }
        touch(url)
        return payload
    }

    private func write(_ payload: [UInt8], to url: URL) {
        payload.withUnsafeBytes { write($0, to: url) }
    }

    /// Writes a checked file by an atomic rename, streaming the payload (a data set is
    /// hundreds of megabytes: no copy of it is made). A cache that cannot be written is no
    /// error of the lesson: the cell runs again next time.
    private func write(_ payload: UnsafeRawBufferPointer, to url: URL) {
        let folder = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max))\(CacheFile.temporarySuffix)")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let written = CacheFile.magic.withUnsafeBytes { writeAll(fd, $0) } && writeAll(fd, payload)
            && CacheFile.trailer(of: payload).withUnsafeBytes { writeAll(fd, $0) }
        close(fd)
        if !written || rename(temporary.path, url.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    }

    private func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 { if errno == EINTR { continue }; return false }
            offset += n
        }
        return true
    }

    /// Marks a file as just used, for the least-recently-used order.
    private func touch(_ url: URL) {
        _ = utimes(url.path, nil)
    }

    private struct Entry {
        var url: URL; var size: Int64; var used: Date; var isTemporary: Bool
        /// Eviction order: large states and blobs, then small states, then records; by age within each.
        var tier: Int { url.pathExtension == "record" ? 2 : size < 1 << 20 ? 1 : 0 }
    }

    private func listFiles() -> [Entry] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]) else { return [] }
        var files: [Entry] = []
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]),
                  values.isRegularFile == true else { continue }
            let name = url.lastPathComponent
            if name == "lock" || name.hasSuffix(".lock") { continue }
            files.append(Entry(url: url, size: Int64(values.fileSize ?? 0), used: values.contentModificationDate ?? .distantPast,
                               isTemporary: name.hasSuffix(CacheFile.temporarySuffix)))
        }
        return files
    }
}

/// The checked container of every cache file: a magic word, the payload, and the payload's
/// 128-bit `ContentHash` (the trailer). A truncated file, a flipped bit or a foreign file
/// fails `decode`.
enum CacheFile {
    static let magic: [UInt8] = Array("LBC1".utf8)
    static let temporarySuffix = ".cachetmp"

    /// What follows the payload: its checksum.
    static func trailer(of payload: UnsafeRawBufferPointer) -> [UInt8] {
        let (x, y) = ContentHash.of(payload)
        var out: [UInt8] = []
        withUnsafeBytes(of: x.littleEndian) { out += $0 }
        withUnsafeBytes(of: y.littleEndian) { out += $0 }
        return out
    }

    /// The payload of a whole file, or nil when it is not a complete, intact cache file.
    static func decode(_ data: Data) -> [UInt8]? {
        data.withUnsafeBytes { raw -> [UInt8]? in
            guard raw.count >= magic.count + 16, raw.prefix(magic.count).elementsEqual(magic) else { return nil }
            let end = raw.count - 16
            let payload = UnsafeRawBufferPointer(rebasing: raw[magic.count..<end])
            let (x, y) = ContentHash.of(payload)
            let stored = (UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: end, as: UInt64.self)),
                          UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: end + 8, as: UInt64.self)))
            return stored == (x, y) ? Array(payload) : nil
        }
    }
}

/// An exclusive `flock` on a file, held while a closure runs (between processes; the
/// in-process callers are sequential). When the lock file cannot be made, the body runs
/// anyway: every write is atomic, the lock only orders writers.
enum FileLock {
    static func holding<T>(_ url: URL, _ body: () throws -> T) rethrows -> T {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0, errno == EINTR {}
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
