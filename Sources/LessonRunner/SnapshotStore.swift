import Foundation
import LessonScript
import TensorEngine

/// The snapshots of a lesson's state between cells, under `<root>/.lessonbook/cache/<slug>/`:
/// one `<key>.snapshot` file per state (named by `SnapshotKey`), and the large tensors they
/// refer to (data sets) once each in `blobs/<content key>.f32`. Every file is written
/// atomically; a file that cannot be read or decoded is simply not used.
///
/// `SnapshotStore.inMemory()` keeps the same files in memory instead, for `watch`, which
/// holds the states of the version it last ran and writes nothing under `.lessonbook`.
public struct SnapshotStore {
    /// The folder holding `.lessonbook`.
    public let root: URL
    /// The files, by path, when the store lives in memory; nil for the file system.
    let memory: MemoryFiles?

    public init(root: URL) { self.root = root; memory = nil }

    /// A store whose files live in memory (shared by copies of the store) for as long as it does.
    public static func inMemory() -> SnapshotStore {
        SnapshotStore(root: URL(fileURLWithPath: "/lessonbook-memory", isDirectory: true), memory: MemoryFiles())
    }

    private init(root: URL, memory: MemoryFiles) { self.root = root; self.memory = memory }

    /// The contents of a store's file in memory, by path.
    final class MemoryFiles {
        private var files: [String: Data] = [:]
        private let lock = NSLock()
        subscript(path: String) -> Data? {
            get { lock.lock(); defer { lock.unlock() }; return files[path] }
            set { lock.lock(); defer { lock.unlock() }; files[path] = newValue }
        }
        /// Drops the files below `folder` whose path `keep` rejects.
        func removeFiles(below folder: String, unless keep: (String) -> Bool) {
            lock.lock(); defer { lock.unlock() }
            files = files.filter { path, _ in !path.hasPrefix(folder) || keep(path) }
        }
    }

    /// The store of the current directory, where `lessonbook` runs.
    public static var workingDirectory: SnapshotStore {
        SnapshotStore(root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
    }

    /// What a snapshot must have been written with to be read: the lessonbook version.
    static var header: String { "lessonbook \(LessonbookVersion.current)" }

    func url(_ key: SnapshotKey, _ names: ArtifactNames) -> URL { key.cacheURL(root: root, names: names) }

    func blobURL(_ blob: String, _ names: ArtifactNames) -> URL {
        root.appendingPathComponent(".lessonbook/cache", isDirectory: true)
            .appendingPathComponent(names.slug, isDirectory: true)
            .appendingPathComponent("blobs", isDirectory: true).appendingPathComponent(blob + ".f32")
    }

    public func contains(_ key: SnapshotKey, names: ArtifactNames) -> Bool {
        if let memory { return memory[url(key, names).path] != nil }
        return FileManager.default.fileExists(atPath: url(key, names).path)
    }

    public func load(_ key: SnapshotKey, names: ArtifactNames) -> [UInt8]? {
        read(url(key, names)).map { [UInt8]($0) }
    }

    private func read(_ url: URL) -> Data? {
        if let memory { return memory[url.path] }
        return FileManager.default.contents(atPath: url.path)
    }

    private func write(_ data: Data, to url: URL) throws {
        if let memory { memory[url.path] = data; return }
        try AtomicFile.write(data, to: url)
    }

    private func exists(_ url: URL) -> Bool {
        if let memory { return memory[url.path] != nil }
        return FileManager.default.fileExists(atPath: url.path)
    }

    /// Forgets the lesson's snapshots other than `keys` (their blobs stay). Only for a store in
    /// memory, whose owner decides what is worth keeping; on disk the cache keeps everything.
    func retainOnly(_ keys: Set<SnapshotKey>, names: ArtifactNames) {
        guard let memory else { return }
        let kept = Set(keys.map { url($0, names).path })
        let folder = root.appendingPathComponent(".lessonbook/cache", isDirectory: true)
            .appendingPathComponent(names.slug, isDirectory: true).path + "/"
        memory.removeFiles(below: folder) { path in !path.hasSuffix(".snapshot") || kept.contains(path) }
    }

    func blobSource(names: ArtifactNames) -> (String) -> [UInt8]? {
        { blob in
            // Content keys are hex digits and a dash; anything else is not ours.
            guard blob.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return nil }
            return read(blobURL(blob, names)).map { [UInt8]($0) }
        }
    }

    /// Writes the large tensors first (each once), then the snapshot, so a snapshot file
    /// never names a blob that is not there.
    public func save(archive: [UInt8], blobs: [String: Tensor], key: SnapshotKey, names: ArtifactNames) throws {
        for (blob, tensor) in blobs {
            let url = blobURL(blob, names)
            if exists(url) { continue }
            let data = tensor.withUnsafeBufferPointer { Data(buffer: $0) }
            try write(data, to: url)
        }
        try write(Data(archive), to: url(key, names))
    }
}
