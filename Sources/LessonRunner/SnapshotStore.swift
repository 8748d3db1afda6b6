import Foundation
import LessonScript
import TensorEngine

/// The snapshots of a lesson's state between cells, under `<root>/.lessonbook/cache/<slug>/`:
/// one `<key>.snapshot` file per state (named by `SnapshotKey`), and the large tensors they
/// refer to (data sets) once each in `blobs/<content key>.f32`. Every file is written
/// atomically; a file that cannot be read or decoded is simply not used.
public struct SnapshotStore {
    /// The folder holding `.lessonbook`.
    public let root: URL

    public init(root: URL) { self.root = root }

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
        FileManager.default.fileExists(atPath: url(key, names).path)
    }

    public func load(_ key: SnapshotKey, names: ArtifactNames) -> [UInt8]? {
        FileManager.default.contents(atPath: url(key, names).path).map { [UInt8]($0) }
    }

    func blobSource(names: ArtifactNames) -> (String) -> [UInt8]? {
        { blob in
            // Content keys are hex digits and a dash; anything else is not ours.
            guard blob.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return nil }
            return FileManager.default.contents(atPath: blobURL(blob, names).path).map { [UInt8]($0) }
        }
    }

    /// Writes the large tensors first (each once), then the snapshot, so a snapshot file
    /// never names a blob that is not there.
    public func save(archive: [UInt8], blobs: [String: Tensor], key: SnapshotKey, names: ArtifactNames) throws {
        for (blob, tensor) in blobs {
            let url = blobURL(blob, names)
            if FileManager.default.fileExists(atPath: url.path) { continue }
            let data = tensor.withUnsafeBufferPointer { Data(buffer: $0) }
            try AtomicFile.write(data, to: url)
        }
        try AtomicFile.write(Data(archive), to: url(key, names))
    }
}
