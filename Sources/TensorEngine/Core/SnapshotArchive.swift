import CZlib
import Foundation

/// Why a state cannot be saved in a snapshot (a closure in a global, a tensor that is part
/// of an autograd graph, an object of an unknown kind). The runner then simply has no
/// snapshot for that cell and reruns from an earlier point.
public struct SnapshotUnsupported: Error, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "cannot snapshot: \(reason)" }
}

/// A snapshot that cannot be read back (truncated, corrupted, written by another version).
public struct SnapshotCorrupt: Error, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "unreadable snapshot: \(reason)" }
}

/// Little-endian binary output: fixed-width integers, doubles, strings and raw Float32 runs.
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    public mutating func uint8(_ v: UInt8) { bytes.append(v) }
    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func int(_ v: Int) { uint64(UInt64(bitPattern: Int64(v))) }
    public mutating func uint64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    public mutating func double(_ v: Double) { uint64(v.bitPattern) }
    public mutating func float(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func string(_ v: String) {
        let utf8 = Array(v.utf8)
        int(utf8.count)
        bytes.append(contentsOf: utf8)
    }
    public mutating func optionalFloat(_ v: Float?) {
        bool(v != nil)
        if let v { float(v) }
    }
    /// Float32 values as raw bytes (the machine is little-endian, as every target of this project).
    public mutating func floats(_ values: UnsafeBufferPointer<Float>) {
        int(values.count)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
    }
    public mutating func floats(_ values: [Float]) { values.withUnsafeBufferPointer { floats($0) } }
    public mutating func append(_ other: ByteWriter) { bytes.append(contentsOf: other.bytes) }
    public mutating func raw(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Reads what `ByteWriter` wrote; every read checks the remaining length and throws
/// `SnapshotCorrupt` instead of reading past the end.
public struct ByteReader {
    let bytes: [UInt8]
    public private(set) var offset: Int
    let end: Int

    public init(_ bytes: [UInt8]) { self.init(bytes, range: 0..<bytes.count) }
    init(_ bytes: [UInt8], range: Range<Int>) { self.bytes = bytes; offset = range.lowerBound; end = range.upperBound }

    public var isAtEnd: Bool { offset >= end }

    mutating func take(_ n: Int) throws -> Range<Int> {
        guard n >= 0, n <= end - offset else { throw SnapshotCorrupt("unexpected end of data") }
        defer { offset += n }
        return offset..<(offset + n)
    }
    public mutating func uint8() throws -> UInt8 { bytes[try take(1).lowerBound] }
    public mutating func bool() throws -> Bool {
        switch try uint8() {
        case 0: return false
        case 1: return true
        default: throw SnapshotCorrupt("bad boolean")
        }
    }
    public mutating func uint64() throws -> UInt64 {
        let r = try take(8)
        var v: UInt64 = 0
        for i in r.reversed() { v = v << 8 | UInt64(bytes[i]) }
        return v
    }
    public mutating func int() throws -> Int { Int(Int64(bitPattern: try uint64())) }
    /// A count or index: a non-negative Int no larger than `limit`.
    public mutating func count(limit: Int = Int(Int32.max)) throws -> Int {
        let n = try int()
        guard n >= 0, n <= limit else { throw SnapshotCorrupt("bad count \(n)") }
        return n
    }
    public mutating func double() throws -> Double { Double(bitPattern: try uint64()) }
    public mutating func float() throws -> Float {
        let r = try take(4)
        var v: UInt32 = 0
        for i in r.reversed() { v = v << 8 | UInt32(bytes[i]) }
        return Float(bitPattern: v)
    }
    public mutating func optionalFloat() throws -> Float? { try bool() ? try float() : nil }
    public mutating func string() throws -> String {
        let r = try take(try count())
        return String(decoding: bytes[r], as: UTF8.self)
    }
    /// Reads `floats` into `destination`, which must hold exactly as many values.
    mutating func floats(into destination: UnsafeMutableBufferPointer<Float>) throws {
        let n = try count()
        guard n == destination.count else { throw SnapshotCorrupt("expected \(destination.count) values, found \(n)") }
        let r = try take(n * MemoryLayout<Float>.size)
        bytes.withUnsafeBytes { raw in
            UnsafeMutableRawBufferPointer(destination).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[r]))
        }
    }
    public mutating func floats() throws -> [Float] {
        let n = try count()
        let r = try take(n * MemoryLayout<Float>.size)
        return [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[r]))
            }
            initialized = n
        }
    }
}

/// Writes an object graph: every reference-typed object (a parameter, a module, an
/// optimiser, a gradient leaf, a script object, ...) is one record, named by its index, so
/// that two references to one object are still one object after restoring (an optimiser and
/// a network share their `Parameter`s; two globals naming one module name one module).
///
/// Tensors are a header plus raw Float32 bytes; a tensor of at least `blobThreshold`
/// elements is stored once outside the archive, named by a hash of its bytes (`blobs`), so
/// that a data set held by many snapshots is written once.
public final class SnapshotArchiveWriter {
    /// Record kinds 0..<100 belong to the engine; higher kinds to the layers above it.
    public typealias Kind = UInt16
    var records: [(kind: Kind, payload: [UInt8])] = []
    private var ids: [ObjectIdentifier: Int] = [:]
    /// Keeps every recorded object alive while writing, so no ObjectIdentifier is reused.
    private var retained: [AnyObject] = []
    /// Parameter record → the module record that owns it (restored through its owner).
    var parameterOwners: [Int: Int] = [:]
    /// Gradient-leaf record → the parameter record whose leaf it is.
    var nodeOwners: [Int: Int] = [:]
    /// Large tensors by content key, to be stored beside the archive.
    public private(set) var blobs: [String: Tensor] = [:]
    public var blobThreshold = 1 << 18
    /// Encodes modules the engine does not know (script-defined layers); returns nil to refuse.
    public var customModule: ((SnapshotArchiveWriter, any Module) throws -> Int?)?

    public init() {}

    /// The record index of `object`, writing its record with `encode` the first time.
    public func reference(_ object: AnyObject, kind: Kind, _ encode: (inout ByteWriter) throws -> Void) throws -> Int {
        let key = ObjectIdentifier(object)
        if let id = ids[key] { return id }
        let id = records.count
        ids[key] = id
        retained.append(object)
        records.append((kind, []))
        var payload = ByteWriter()
        try encode(&payload)
        records[id].payload = payload.bytes
        return id
    }

    /// The record index of an object already written, if any.
    public func existingReference(_ object: AnyObject) -> Int? { ids[ObjectIdentifier(object)] }

    /// The archive: magic, `header`, the records, the owner tables and `roots`.
    public func finish(header: String, roots: ByteWriter) -> [UInt8] {
        var out = ByteWriter()
        for byte in SnapshotArchiveWriter.magic { out.uint8(byte) }
        out.string(header)
        out.int(records.count)
        for record in records {
            out.uint8(UInt8(record.kind >> 8)); out.uint8(UInt8(record.kind & 0xFF))
            out.int(record.payload.count)
            out.raw(record.payload)
        }
        out.int(parameterOwners.count)
        for (p, m) in parameterOwners.sorted(by: { $0.key < $1.key }) { out.int(p); out.int(m) }
        out.int(nodeOwners.count)
        for (n, p) in nodeOwners.sorted(by: { $0.key < $1.key }) { out.int(n); out.int(p) }
        RandomGenerator.global.write(to: &out)
        out.append(roots)
        return out.bytes
    }

    /// Bumped whenever a record's layout changes (2: script layers list their buffer fields,
    /// parameters may be frozen), so that an older cached snapshot is refused, not misread.
    static let magic: [UInt8] = Array("LBSNAP2\n".utf8)

    // MARK: Tensors

    /// Writes a tensor: dtype, shape, its gradient leaf (when it requires grad) and its
    /// elements. A tensor produced by a tracked operation carries an autograd graph that
    /// cannot be rebuilt, so it is refused.
    public func tensor(_ t: Tensor, into w: inout ByteWriter, immutable: Bool = false) throws {
        var node = -1
        if let gradNode = t.gradNode {
            guard gradNode.isLeaf else {
                throw SnapshotUnsupported("a tensor that is part of an autograd graph (grad_fn=\(gradNode.operation)); detach() it or compute it inside noGrad")
            }
            node = try reference(gradNode, kind: EngineKind.gradLeaf) { w in
                w.bool(gradNode.grad != nil)
                if let grad = gradNode.grad { try tensor(grad, into: &w) }
            }
        }
        w.int(node)
        try tensorData(t, into: &w, immutable: immutable)
    }

    func tensorData(_ t: Tensor, into w: inout ByteWriter, immutable: Bool = false) throws {
        w.uint8(t.dtype.code)
        w.int(t.shape.count)
        for d in t.shape { w.int(d) }
        w.bool(t.isMeta)
        if t.isMeta { return }
        if t.count >= blobThreshold {
            let key = immutable ? BlobKeyMemo.key(of: t) : BlobKeyMemo.computeKey(t)
            blobs[key] = t
            w.uint8(1)
            w.string(key)
        } else {
            w.uint8(0)
            t.withUnsafeBufferPointer { w.floats($0) }
        }
    }

    /// The record of a parameter: its value, with its gradient leaf (which holds `grad`).
    public func parameter(_ p: Parameter) throws -> Int {
        try reference(p, kind: EngineKind.parameter) { w in
            let value = p.value
            try tensor(value, into: &w)
            if let node = value.gradNode, let nodeID = existingReference(node), let id = existingReference(p) { nodeOwners[nodeID] = id }
        }
    }

    /// Records that `module` owns `parameter`, so restoring the parameter goes through the
    /// module (whose constructor makes the `Parameter` object everyone shares).
    public func own(_ parameterID: Int, by moduleID: Int) {
        parameterOwners[parameterID] = moduleID
    }

}

/// Reads an archive written by `SnapshotArchiveWriter`. Objects are rebuilt on demand by
/// record index (`object(_:)`), each once; a parameter is rebuilt through the module that
/// owns it, a gradient leaf through its parameter, so shared objects stay shared.
public final class SnapshotArchiveReader {
    private let bytes: [UInt8]
    private var records: [(kind: SnapshotArchiveWriter.Kind, range: Range<Int>)] = []
    private var objects: [Int: AnyObject] = [:]
    private var inProgress: Set<Int> = []
    private var parameterOwners: [Int: Int] = [:]
    private var nodeOwners: [Int: Int] = [:]
    /// The generator state saved with the archive; `restoreGenerator()` installs it.
    public private(set) var generator: RandomGenerator
    /// What the writer passed as `header`.
    public let header: String
    /// The roots the writer appended after the records.
    public private(set) var roots: ByteReader
    /// Reads a blob (see `SnapshotArchiveWriter.blobs`) by key.
    public var blobSource: ((String) -> [UInt8]?)?
    /// Rebuilds records of kinds above the engine's (script objects).
    public var customDecoder: ((SnapshotArchiveReader, SnapshotArchiveWriter.Kind, Int, inout ByteReader) throws -> AnyObject)?

    public init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        var r = ByteReader(bytes)
        for byte in SnapshotArchiveWriter.magic where try r.uint8() != byte { throw SnapshotCorrupt("not a lessonbook snapshot") }
        header = try r.string()
        let count = try r.count()
        for _ in 0..<count {
            let kind = SnapshotArchiveWriter.Kind(try r.uint8()) << 8 | SnapshotArchiveWriter.Kind(try r.uint8())
            let length = try r.count(limit: Int.max)
            records.append((kind, try r.take(length)))
        }
        for _ in 0..<(try r.count()) { parameterOwners[try r.count()] = try r.count() }
        for _ in 0..<(try r.count()) { nodeOwners[try r.count()] = try r.count() }
        generator = try RandomGenerator(from: &r)
        roots = r
    }

    /// Installs the saved generator state as `RandomGenerator.global`.
    public func restoreGenerator() { RandomGenerator.global = generator }

    /// Registers a record's object before its contents are read (for cycles).
    public func register(_ id: Int, _ object: AnyObject) { objects[id] = object }

    /// The object of record `id`, rebuilding it the first time.
    public func object(_ id: Int) throws -> AnyObject {
        if let existing = objects[id] { return existing }
        guard records.indices.contains(id) else { throw SnapshotCorrupt("no record \(id)") }
        if let owner = parameterOwners[id], owner != id {
            _ = try object(owner)
            if let bound = objects[id] { return bound }
        }
        if let owner = nodeOwners[id], owner != id {
            _ = try object(owner)
            if let bound = objects[id] { return bound }
        }
        guard inProgress.insert(id).inserted else { throw SnapshotCorrupt("record \(id) refers to itself") }
        defer { inProgress.remove(id) }
        var r = payload(id)
        let kind = records[id].kind
        let object: AnyObject
        if kind < 100 {
            object = try decodeEngineObject(kind: kind, id: id, &r)
        } else if let customDecoder {
            object = try customDecoder(self, kind, id, &r)
        } else {
            throw SnapshotCorrupt("unknown record kind \(kind)")
        }
        objects[id] = object
        return object
    }

    public func object<T>(_ id: Int, as type: T.Type) throws -> T {
        guard let typed = try object(id) as? T else { throw SnapshotCorrupt("record \(id) is not a \(T.self)") }
        return typed
    }

    func payload(_ id: Int) -> ByteReader { ByteReader(bytes, range: records[id].range) }

    // MARK: Tensors

    /// Reads a tensor written by `SnapshotArchiveWriter.tensor`.
    public func tensor(_ r: inout ByteReader) throws -> Tensor {
        let node = try r.int()
        var t = try tensorData(&r)
        if node >= 0 { t.gradNode = try object(node, as: GradNode.self) }
        return t
    }

    func tensorData(_ r: inout ByteReader) throws -> Tensor {
        guard let dtype = DType(code: try r.uint8()) else { throw SnapshotCorrupt("bad dtype") }
        let rank = try r.count(limit: 64)
        var shape: [Int] = []
        for _ in 0..<rank { shape.append(try r.count(limit: Int.max)) }
        if try r.bool() { return try Tensor(metaShape: shape, dtype: dtype) }
        var t = try Tensor(uninitializedShape: shape, dtype: dtype)
        switch try r.uint8() {
        case 0:
            try t.withUnsafeMutableBufferPointer { try r.floats(into: $0) }
        case 1:
            let key = try r.string()
            guard let blob = blobSource?(key) else { throw SnapshotCorrupt("missing tensor data \(key)") }
            guard blob.count == t.count * MemoryLayout<Float>.size else { throw SnapshotCorrupt("tensor data \(key) has the wrong size") }
            try t.withUnsafeMutableBufferPointer { dst in
                blob.withUnsafeBytes { UnsafeMutableRawBufferPointer(dst).copyMemory(from: $0) }
            }
        default:
            throw SnapshotCorrupt("bad tensor storage tag")
        }
        return t
    }

    /// Gives `parameter` (made by its module's constructor) the saved value and gradient of
    /// record `id`, and makes it the object of that record.
    public func bind(parameter: Parameter, to id: Int) throws {
        guard records.indices.contains(id), records[id].kind == EngineKind.parameter else { throw SnapshotCorrupt("record \(id) is not a parameter") }
        objects[id] = parameter
        var r = payload(id)
        let node = try r.int()
        let value = try tensorData(&r)
        parameter.value = value
        // A trained parameter always has a leaf; one without was frozen.
        parameter.requiresGrad = node >= 0
        if node >= 0, let leaf = parameter.value.gradNode {
            objects[node] = leaf
            leaf.grad = try leafGrad(node)
        }
    }

    private func leafGrad(_ id: Int) throws -> Tensor? {
        guard records.indices.contains(id), records[id].kind == EngineKind.gradLeaf else { throw SnapshotCorrupt("record \(id) is not a gradient leaf") }
        var r = payload(id)
        return try r.bool() ? try tensor(&r) : nil
    }

    private func decodeEngineObject(kind: SnapshotArchiveWriter.Kind, id: Int, _ r: inout ByteReader) throws -> AnyObject {
        switch kind {
        case EngineKind.gradLeaf:
            let node = GradNode(leaf: ())
            objects[id] = node
            node.grad = try leafGrad(id)
            return node
        case EngineKind.parameter:
            // A parameter no module owns any more (an optimiser over a dropped layer).
            let node = try r.int()
            let value = try tensorData(&r)
            let p = Parameter(value)
            p.requiresGrad = node >= 0
            objects[id] = p
            if node >= 0, let leaf = p.value.gradNode {
                objects[node] = leaf
                leaf.grad = try leafGrad(node)
            }
            return p
        default:
            return try decodeModuleOrOptimizer(kind: kind, id: id, &r)
        }
    }
}

/// Record kinds of the engine's objects.
public enum EngineKind {
    public static let gradLeaf: SnapshotArchiveWriter.Kind = 1
    public static let parameter: SnapshotArchiveWriter.Kind = 2
    static let conv2d: SnapshotArchiveWriter.Kind = 10
    static let linear: SnapshotArchiveWriter.Kind = 11
    static let maxPool2d: SnapshotArchiveWriter.Kind = 12
    static let avgPool2d: SnapshotArchiveWriter.Kind = 13
    static let adaptiveAvgPool2d: SnapshotArchiveWriter.Kind = 14
    static let relu: SnapshotArchiveWriter.Kind = 15
    static let sigmoid: SnapshotArchiveWriter.Kind = 16
    static let tanh: SnapshotArchiveWriter.Kind = 17
    static let flatten: SnapshotArchiveWriter.Kind = 18
    static let dropout: SnapshotArchiveWriter.Kind = 19
    static let batchNorm1d: SnapshotArchiveWriter.Kind = 20
    static let batchNorm2d: SnapshotArchiveWriter.Kind = 21
    static let sequential: SnapshotArchiveWriter.Kind = 22
    static let sgd: SnapshotArchiveWriter.Kind = 40
    static let adam: SnapshotArchiveWriter.Kind = 41
}

extension DType {
    var code: UInt8 {
        switch self {
        case .float32: return 0
        case .int64: return 1
        case .bool: return 2
        }
    }
    init?(code: UInt8) {
        switch code {
        case 0: self = .float32
        case 1: self = .int64
        case 2: self = .bool
        default: return nil
        }
    }
}

extension RandomGenerator {
    func write(to w: inout ByteWriter) {
        w.int(state.count)
        for s in state { w.uint64(s) }
        w.bool(spareNormal != nil)
        if let spareNormal { w.double(spareNormal) }
    }

    init(from r: inout ByteReader) throws {
        self.init(seed: 0)
        let n = try r.count(limit: 16)
        guard n == 4 else { throw SnapshotCorrupt("bad generator state") }
        state = try (0..<n).map { _ in try r.uint64() }
        spareNormal = try r.bool() ? try r.double() : nil
    }
}

/// Content keys of large tensors: CRC-32 and Adler-32 (zlib's, fast) with the byte count.
/// Tensors known to be immutable (data sets: their storage is never written in place, as
/// every holder copies on write) are keyed once per storage object and process.
enum BlobKeyMemo {
    nonisolated(unsafe) private static var memo: [(storage: TensorStorage, key: String)] = []
    private static let lock = NSLock()

    static func key(of t: Tensor) -> String {
        lock.lock()
        if let hit = memo.first(where: { $0.storage === t.storage }) { lock.unlock(); return hit.key }
        lock.unlock()
        let key = computeKey(t)
        lock.lock()
        memo.append((t.storage, key))
        // A few data sets at most; the oldest entry goes first.
        if memo.count > 8 { memo.removeFirst() }
        lock.unlock()
        return key
    }

    static func computeKey(_ t: Tensor) -> String {
        t.withUnsafeBufferPointer { buffer -> String in
            let raw = UnsafeRawBufferPointer(buffer)
            var crc = crc32(0, nil, 0)
            var adler = adler32(0, nil, 0)
            var offset = 0
            // zlib takes 32-bit lengths: feed it in chunks.
            while offset < raw.count {
                let n = Swift.min(1 << 30, raw.count - offset)
                let p = raw.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
                crc = crc32(crc, p, uInt(n))
                adler = adler32(adler, p, uInt(n))
                offset += n
            }
            return String(format: "%08lx%08lx-%llx", UInt(crc), UInt(adler), UInt64(raw.count))
        }
    }
}

extension Tensor {
    /// True when both tensors read the same storage (one is a copy of the other that
    /// neither has written to since).
    public func sharesStorage(with other: Tensor) -> Bool { storage === other.storage }
}
