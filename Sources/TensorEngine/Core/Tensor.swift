/// The element kind a tensor stands for. Every element is stored as Float32; integer and
/// boolean tensors hold exact whole values (0/1 for booleans), exact up to 2^24, which is
/// far above any class count or index a lesson uses. The kind decides how a tensor prints
/// (`tensor([9, 0])`, `tensor([True, False])`) and which results stay integral.
public enum DType: String, Sendable {
    case float32, int64, bool
}

/// An n-dimensional array of Float32 with value semantics.
///
/// Storage is row-major and contiguous, shared between copies until one is written to
/// (copy-on-write). A tensor that requires a gradient carries a `GradNode`; operations
/// on tracked tensors record how to send gradients back to their inputs (see `Autograd.swift`).
public struct Tensor {
    /// The size of each dimension; `[]` for a scalar.
    public private(set) var shape: [Int]
    /// How the elements are meant: real numbers, whole numbers or booleans.
    public var dtype: DType
    @usableFromInline var storage: TensorStorage
    /// The autograd record: a leaf for `requiresGrad` tensors, an operation node for results.
    var gradNode: GradNode?

    init(shape: [Int], storage: TensorStorage, dtype: DType = .float32) {
        self.shape = shape
        self.storage = storage
        self.dtype = dtype
    }

    /// A tensor of `shape` whose elements are not yet set. Throws when the shape is invalid
    /// or the allocation is over the limit.
    public init(uninitializedShape shape: [Int], dtype: DType = .float32) throws {
        try Tensor.validate(shape: shape, operation: "tensor")
        let count = shape.reduce(1, *)
        self.init(shape: shape, storage: try TensorStorage(uninitializedCount: count, shape: shape), dtype: dtype)
    }

    /// A tensor of `shape` holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float], dtype: DType = .float32) throws {
        try Tensor.validate(shape: shape, operation: "tensor")
        let count = shape.reduce(1, *)
        guard count == scalars.count else {
            throw TensorError("tensor: shape \(shapeDescription(shape)) holds \(count) elements, got \(scalars.count) values")
        }
        try self.init(uninitializedShape: shape, dtype: dtype)
        scalars.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: count) }
    }

    /// A rank-0 tensor.
    public init(_ value: Float, dtype: DType = .float32) {
        let storage = try! TensorStorage(uninitializedCount: 1, shape: [])
        storage.pointer[0] = value
        self.init(shape: [], storage: storage, dtype: dtype)
    }

    /// A tensor that has a shape but no elements: operations on it compute only the shape
    /// of their result. `summary` uses it to infer shapes without doing the arithmetic.
    public init(metaShape shape: [Int], dtype: DType = .float32) throws {
        try Tensor.validate(shape: shape, operation: "tensor")
        self.init(shape: shape, storage: TensorStorage(metaFor: shape), dtype: dtype)
    }

    /// True for a shape-only tensor (see `init(metaShape:)`).
    public var isMeta: Bool { storage.isMeta }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Row-major strides, in elements.
    public var strides: [Int] { Tensor.contiguousStrides(shape) }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    static func validate(shape: [Int], operation: String) throws {
        if let bad = shape.first(where: { $0 < 0 }) {
            throw TensorError("\(operation): negative dimension \(bad) in shape \(shapeDescription(shape))")
        }
        var total = 1
        for d in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: d)
            if overflow { throw TensorError("\(operation): shape \(shapeDescription(shape)) has too many elements") }
            total = product
        }
    }

    // MARK: Element access

    /// All elements in row-major order.
    public var scalars: [Float] {
        if isMeta { return [] }
        return Array(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Reads the elements without copying.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.isMeta ? 0 : count))
    }

    /// Writes the elements in place, copying the storage first if another tensor shares it.
    /// The autograd record is kept: use this for optimiser updates and initialisation,
    /// never on values an autograd graph still needs.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) throws -> R {
        try makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.isMeta ? 0 : count))
    }

    mutating func makeUnique() throws {
        if !isKnownUniquelyReferenced(&storage) {
            storage = try storage.copy()
        }
    }

    /// The value of a one-element tensor.
    public func item() throws -> Float {
        guard count == 1, !isMeta else {
            throw TensorError("item: only a tensor with one element can be converted to a number, got shape \(shapeDescription(shape))")
        }
        return storage.pointer[0]
    }

    /// The smallest and largest finite element (NaN and ±∞ left out), or nil when there is
    /// none: the value range an image is drawn with.
    public var finiteRange: ClosedRange<Float>? {
        guard !isMeta else { return nil }
        var lo = Float.infinity, hi = -Float.infinity
        let p = storage.pointer
        for i in 0..<count where p[i].isFinite {
            lo = Swift.min(lo, p[i])
            hi = Swift.max(hi, p[i])
        }
        return lo <= hi ? lo...hi : nil
    }

    /// The same elements viewed with another shape of the same count (no copy). Not tracked
    /// by autograd: use `reshape` for that.
    func withShape(_ newShape: [Int]) -> Tensor {
        var t = Tensor(shape: newShape, storage: storage, dtype: dtype)
        t.gradNode = nil
        return t
    }
}
