import Foundation

/// The cache key of a cell's run: it names the cell's record and the interpreter state after
/// the cell (see `CellCache`). It hashes everything that can change either: the exact
/// lessonbook build, the lesson's seed, the identity (size and modification time) of every
/// `requires:` file, and the options and source of this cell and every earlier one. Two runs
/// with the same key print the same output and reach the same state.
public struct CellKey: Hashable, CustomStringConvertible {
    public let value: String
    public var description: String { value }

    init(value: String) { self.value = value }

    /// The key of every cell of `document`, in order (`keys[i]` is the key of cell `i + 1`).
    /// `requirements` stands for the identity of the `requires:` files (by default, as they are now).
    public static func keys(for document: LessonDocument, build: String = BuildIdentity.current,
                            requirements: String? = nil) -> [CellKey] {
        var hash = ContentHash()
        hash.add("lessonbook \(build)\n")
        hash.add("seed \(document.frontMatter.seed)\n")
        hash.add(requirements ?? requirementIdentity(of: document))
        var keys: [CellKey] = []
        for cell in document.cells {
            hash.add("cell \(cell.options.words.joined(separator: " "))\n")
            hash.add(cell.source)
            hash.add("\n\u{0}")
            keys.append(CellKey(value: hash.hex))
        }
        return keys
    }
}

extension CellKey {
    /// The size and modification time of each of the lesson's `requires:` files, one per line.
    public static func requirementIdentity(of document: LessonDocument) -> String {
        let folder = URL(fileURLWithPath: document.path).deletingLastPathComponent()
        return document.frontMatter.requires.map { requirement in
            "requires \(requirement) \(BuildIdentity.fileIdentity(FrontMatter.resolve(requirement, lessonFolder: folder)))\n"
        }.joined()
    }
}

/// What identifies the running lessonbook build (not only its version string): the version
/// and the size and modification time of the executable. A rebuild invalidates every record.
public enum BuildIdentity {
    public static let current: String = {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return "\(LessonbookVersion.current) \(fileIdentity(executable))"
    }()

    /// `size mtime` of a file, or `missing`.
    static func fileIdentity(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "missing" }
        return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}

/// A fast 128-bit non-cryptographic hash (two independent 64-bit lanes, eight bytes at a
/// time): cache keys and the checksums of cache files. It guards against accidents
/// (truncation, flipped bits, collisions of honest keys), not against an attacker.
struct ContentHash {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x9e37_79b9_7f4a_7c15
    private var length: UInt64 = 0

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            mix(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        if index < count {
            var tail: UInt64 = 0
            for k in index..<count { tail |= UInt64(bytes[k]) << (8 * UInt64(k - index)) }
            mix(tail ^ 0xff00_0000_0000_0000)
        }
        length &+= UInt64(count)
    }

    private mutating func mix(_ word: UInt64) {
        a = (a ^ word) &* 0x0000_0100_0000_01B3
        a ^= a >> 29
        b = (b ^ (word &* 0xff51_afd7_ed55_8ccd)) &* 0xc4ce_b9fe_1a85_ec53
        b ^= b >> 32
    }

    var digest: (UInt64, UInt64) {
        var x = a ^ length, y = b ^ (length &* 0x9e37_79b9_7f4a_7c15)
        x = (x ^ (x >> 33)) &* 0xff51_afd7_ed55_8ccd; x ^= x >> 33
        y = (y ^ (y >> 33)) &* 0xc4ce_b9fe_1a85_ec53; y ^= y >> 33
        return (x ^ y, y &+ x)
    }

    var hex: String {
        let (x, y) = digest
        return String(format: "%016llx%016llx", x, y)
    }

    static func of(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var hash = ContentHash()
        hash.add(bytes)
        return hash.digest
    }
}
