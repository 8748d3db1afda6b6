extension Tensor {
    /// A tensor of `shape` filled with `value`.
    public static func full(_ shape: [Int], _ value: Float, dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor(uninitializedShape: shape, dtype: dtype)
        t.storage.pointer.initialize(repeating: value, count: t.count)
        return t
    }

    /// A tensor of zeros, like `torch.zeros`.
    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor { try full(shape, 0, dtype: dtype) }

    /// A tensor of ones, like `torch.ones`.
    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor { try full(shape, 1, dtype: dtype) }
}

/// A nested list of numbers of any depth, the input of `Tensor(nested:)`:
/// `.list([.list([.scalar(1), .scalar(2)]), .list([.scalar(3), .scalar(4)])])` is [[1, 2], [3, 4]].
public indirect enum NestedArray: Equatable, Sendable {
    case scalar(Float)
    case list([NestedArray])
}

extension Tensor {
    /// A tensor from a nested list, like `torch.tensor([[1, 2], [3, 4]])`. Every list at the
    /// same depth must have the same length; a ragged list throws, naming the depth and the
    /// expected length. The caller chooses the element type (int64 for integer literals).
    public init(nested: NestedArray, dtype: DType = .float32) throws {
        var shape: [Int] = []
        var probe = nested
        while case .list(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var values: [Float] = []
        values.reserveCapacity(shape.reduce(1, *))
        func collect(_ node: NestedArray, depth: Int) throws {
            switch node {
            case .scalar(let v):
                guard depth == shape.count else {
                    throw TensorError("tensor: expected a sequence of length \(shape[depth]) at dim \(depth), got a number")
                }
                values.append(v)
            case .list(let items):
                guard depth < shape.count else {
                    throw TensorError("tensor: expected a number at dim \(depth), got a sequence of length \(items.count)")
                }
                guard items.count == shape[depth] else {
                    throw TensorError("tensor: expected sequence of length \(shape[depth]) at dim \(depth) (got \(items.count))")
                }
                for item in items { try collect(item, depth: depth + 1) }
            }
        }
        try collect(nested, depth: 0)
        try self.init(shape: shape, scalars: values, dtype: dtype)
    }

    /// A 1-D tensor of `values`.
    public init(_ values: [Float], dtype: DType = .float32) throws {
        try self.init(shape: [values.count], scalars: values, dtype: dtype)
    }

    // MARK: Ranges

    /// `0, 1, …` up to but not including `end`, like `torch.arange(end)`. Integer (int64)
    /// unless `dtype` says otherwise.
    public static func arange(_ end: Int, dtype: DType = .int64) throws -> Tensor {
        try arange(0, Double(end), 1, dtype: dtype)
    }

    /// `start, start + step, …` up to but not including `end`, in int64.
    public static func arange(_ start: Int, _ end: Int, _ step: Int = 1, dtype: DType = .int64) throws -> Tensor {
        try arange(Double(start), Double(end), Double(step), dtype: dtype)
    }

    /// `torch.arange(end)` with real arguments: int64 when the argument is whole (as when
    /// PyTorch is given an integer), float32 otherwise, unless `dtype` is given.
    public static func arange(_ end: Double, dtype: DType? = nil) throws -> Tensor {
        try arange(0, end, 1, dtype: dtype)
    }

    /// `torch.arange(start, end, step)`: ceil((end − start) / step) values start + i·step.
    /// int64 when every argument is whole, float32 otherwise, unless `dtype` is given.
    public static func arange(_ start: Double, _ end: Double, _ step: Double = 1, dtype: DType? = nil) throws -> Tensor {
        guard start.isFinite && end.isFinite && step.isFinite else {
            throw TensorError("arange: unsupported range: \(start) -> \(end) with step \(step)")
        }
        guard step != 0 else { throw TensorError("arange: step must be nonzero") }
        guard (step > 0 && end >= start) || (step < 0 && end <= start) else {
            throw TensorError("arange: upper bound and larger bound inconsistent with step sign (start \(start), end \(end), step \(step))")
        }
        let whole = [start, end, step].allSatisfy { $0 == $0.rounded() }
        let type = dtype ?? (whole ? .int64 : .float32)
        let n = Int(((end - start) / step).rounded(.up))
        let t = try Tensor(uninitializedShape: [n], dtype: type)
        let p = t.storage.pointer
        for i in 0..<n {
            let v = start + Double(i) * step
            p[i] = type == .float32 ? Float(v) : Float(v.rounded(.towardZero))
        }
        return t
    }

    /// `steps` evenly spaced values from `start` to `end` inclusive, like `torch.linspace`.
    public static func linspace(_ start: Double, _ end: Double, steps: Int) throws -> Tensor {
        guard steps >= 0 else { throw TensorError("linspace: number of steps must be non-negative, got \(steps)") }
        let t = try Tensor(uninitializedShape: [steps])
        let p = t.storage.pointer
        if steps == 1 { p[0] = Float(start) }
        if steps > 1 {
            // Like PyTorch: the first half counts up from start, the second half down from
            // end, so both endpoints are exact.
            let step = (end - start) / Double(steps - 1)
            let half = steps / 2
            for i in 0..<steps {
                p[i] = Float(i < half ? start + step * Double(i) : end - step * Double(steps - 1 - i))
            }
        }
        return t
    }

    /// The `n`×`m` identity matrix (`m` defaults to `n`), like `torch.eye`.
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) throws -> Tensor {
        let cols = m ?? n
        let t = try zeros([n, cols], dtype: dtype)
        for i in 0..<Swift.min(n, cols) { t.storage.pointer[i * cols + i] = 1 }
        return t
    }

    // MARK: Random (all from RandomGenerator.global)

    /// Uniform values in [0, 1), like `torch.rand`.
    public static func rand(_ shape: [Int]) throws -> Tensor {
        let t = try Tensor(uninitializedShape: shape)
        let p = t.storage.pointer
        for i in 0..<t.count { p[i] = RandomGenerator.global.nextFloat() }
        return t
    }

    /// `rand` with the sizes as separate arguments: `rand(4, 2, 3, 5)`.
    public static func rand(_ shape: Int...) throws -> Tensor { try rand(shape) }

    /// Standard normal values, like `torch.randn`.
    public static func randn(_ shape: [Int]) throws -> Tensor {
        let t = try Tensor(uninitializedShape: shape)
        let p = t.storage.pointer
        for i in 0..<t.count { p[i] = Float(RandomGenerator.global.nextNormal()) }
        return t
    }

    /// `randn` with the sizes as separate arguments.
    public static func randn(_ shape: Int...) throws -> Tensor { try randn(shape) }

    /// Uniform integers in `low..<high` (int64), like `torch.randint(low, high, shape)`.
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int]) throws -> Tensor {
        guard low < high else {
            throw TensorError("randint: expects 'from' to be less than 'to', but got from=\(low) >= to=\(high)")
        }
        let t = try Tensor(uninitializedShape: shape, dtype: .int64)
        let p = t.storage.pointer
        for i in 0..<t.count { p[i] = Float(low + RandomGenerator.global.nextInt(below: high - low)) }
        return t
    }

    /// Integers in `0..<high`, like `torch.randint(high, shape)`.
    public static func randint(_ high: Int, _ shape: [Int]) throws -> Tensor { try randint(0, high, shape) }

    // MARK: Like another tensor

    /// Zeros with the shape and element type of `other`.
    public static func zerosLike(_ other: Tensor) throws -> Tensor { try zeros(other.shape, dtype: other.dtype) }

    /// Ones with the shape and element type of `other`.
    public static func onesLike(_ other: Tensor) throws -> Tensor { try ones(other.shape, dtype: other.dtype) }

    /// `value` everywhere, with the shape and element type of `other`.
    public static func fullLike(_ other: Tensor, _ value: Float) throws -> Tensor { try full(other.shape, value, dtype: other.dtype) }
}
