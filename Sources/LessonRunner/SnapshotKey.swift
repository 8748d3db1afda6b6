import Foundation

/// The cache key of the interpreter state before a cell: a hash of the lesson's seed, every
/// earlier cell's source and options, and the lessonbook version. Two runs with the same key
/// reach the cell in the same state, so a snapshot saved under it may be restored instead of
/// re-running the earlier cells. Snapshots live in `.lessonbook/cache/<slug>/<key>.snapshot`
/// (see `SnapshotStore`).
public struct SnapshotKey: Hashable, CustomStringConvertible {
    public let value: String

    /// The key of the state just before `cellNumber` (1-based) of `document`.
    public init(document: LessonDocument, beforeCell cellNumber: Int, version: String = LessonbookVersion.current) {
        var hash = FNV1a()
        hash.add("lessonbook \(version)\n")
        hash.add("seed \(document.frontMatter.seed)\n")
        for cell in document.cells where cell.number < cellNumber {
            hash.add("cell \(cell.options.words.joined(separator: " "))\n")
            hash.add(cell.source)
            hash.add("\n\u{0}")
        }
        value = hash.hex
    }

    public var description: String { value }

    /// Where the snapshot with this key is stored, below `root` (the folder holding `.lessonbook`).
    public func cacheURL(root: URL, names: ArtifactNames) -> URL {
        root.appendingPathComponent(".lessonbook/cache", isDirectory: true)
            .appendingPathComponent(names.slug, isDirectory: true)
            .appendingPathComponent(value + ".snapshot")
    }

    /// 128-bit FNV-1a (two independent 64-bit lanes): plenty against accidental collisions
    /// of cache keys; nothing here needs a cryptographic hash.
    struct FNV1a {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        mutating func add(_ text: String) {
            for byte in text.utf8 {
                a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
                b = (b ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
            }
        }
        var hex: String {
            String(format: "%016llx%016llx", a, b)
        }
    }
}
