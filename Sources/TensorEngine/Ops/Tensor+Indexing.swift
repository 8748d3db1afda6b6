// Indexing and slicing, on read (`slice`) and on write (`replacing`, `assign`), with
// PyTorch's rules: an integer removes its dimension, ranges keep it and are clamped to the
// size, negative positions count from the end.

/// One subscript argument of a tensor index: `x[1, 0..<2, ...]`.
public enum TensorIndex: Equatable, Sendable, ExpressibleByIntegerLiteral {
    /// A single position; negative counts from the end. Removes the dimension.
    case at(Int)
    /// Positions `start..<end` (or `start...end` when `closed`); a missing bound means the
    /// start or the end of the dimension. Bounds outside the dimension are clamped, as in PyTorch.
    case range(Int?, Int?, closed: Bool)
    /// The whole dimension (`...` or `:`).
    case all

    public init(integerLiteral value: Int) { self = .at(value) }
    public init(_ r: Range<Int>) { self = .range(r.lowerBound, r.upperBound, closed: false) }
    public init(_ r: ClosedRange<Int>) { self = .range(r.lowerBound, r.upperBound, closed: true) }
    public init(_ r: PartialRangeFrom<Int>) { self = .range(r.lowerBound, nil, closed: false) }
    public init(_ r: PartialRangeUpTo<Int>) { self = .range(nil, r.upperBound, closed: false) }
    public init(_ r: PartialRangeThrough<Int>) { self = .range(nil, r.upperBound, closed: true) }
}

/// The region an index selects: a box of `lengths` starting at `starts` in every dimension.
struct IndexBox {
    var starts: [Int]
    var lengths: [Int]
    /// The shape of the selection: the box without the dimensions taken by integers.
    var resultShape: [Int]
    var hasIntegers: Bool
    var coversEverything: Bool
}

/// How `copyBox` moves elements between a box of a tensor and a dense buffer.
enum BoxTransfer {
    case read(UnsafeMutablePointer<Float>)
    case write(UnsafePointer<Float>)
    case fill(Float)
}

extension Tensor {
    func indexBox(_ indices: [TensorIndex]) throws -> IndexBox {
        guard indices.count <= rank else {
            throw TensorError("index: too many indices for tensor of dimension \(rank) (got \(indices.count)), shape \(shapeDescription(shape))")
        }
        var starts = [Int](repeating: 0, count: rank), lengths = shape
        var resultShape: [Int] = []
        resultShape.reserveCapacity(rank)
        var hasIntegers = false, everything = true
        for d in 0..<rank {
            let size = shape[d]
            let index = d < indices.count ? indices[d] : .all
            switch index {
            case .at(let i):
                guard i >= -size && i < size else {
                    throw TensorError("index \(i) is out of bounds for dimension \(d) with size \(size)")
                }
                starts[d] = i < 0 ? i + size : i
                lengths[d] = 1
                hasIntegers = true
                everything = false
            case .range(let lower, let upper, let closed):
                var start = lower ?? 0
                if start < 0 { start += size }
                start = Swift.min(Swift.max(start, 0), size)
                var end = size
                if let upper {
                    end = upper < 0 ? upper + size : upper
                    if closed && end < Int.max { end += 1 }  // clamped to the size below
                }
                end = Swift.min(Swift.max(end, 0), size)
                starts[d] = start
                lengths[d] = Swift.max(end - start, 0)
                resultShape.append(lengths[d])
                if start != 0 || lengths[d] != size { everything = false }
            case .all:
                resultShape.append(size)
            }
        }
        return IndexBox(starts: starts, lengths: lengths, resultShape: resultShape, hasIntegers: hasIntegers, coversEverything: everything)
    }

    /// Moves the elements of a box of a row-major tensor of `shape` at `base`. The longest
    /// contiguous run (a partial dimension followed by whole ones) is copied in one call.
    static func copyBox(base: UnsafeMutablePointer<Float>, shape: [Int], starts: [Int], lengths: [Int], _ transfer: BoxTransfer) {
        let rank = shape.count
        if lengths.contains(0) { return }
        if rank == 0 {
            switch transfer {
            case .read(let dst): dst[0] = base[0]
            case .write(let src): base[0] = src[0]
            case .fill(let v): base[0] = v
            }
            return
        }
        let strides = contiguousStrides(shape)
        var j = rank - 1
        while j > 0 && starts[j] == 0 && lengths[j] == shape[j] { j -= 1 }
        let run = lengths[j] * strides[j]
        var offset = 0
        for i in 0...j { offset += starts[i] * strides[i] }
        let outerCount = lengths[0..<j].reduce(1, *)
        var counter = [Int](repeating: 0, count: j)
        var dense = 0
        for _ in 0..<outerCount {
            let region = base + offset
            switch transfer {
            case .read(let dst):
                if run == 1 { dst[dense] = region[0] } else { (dst + dense).update(from: region, count: run) }
            case .write(let src):
                if run == 1 { region[0] = src[dense] } else { region.update(from: src + dense, count: run) }
            case .fill(let v):
                if run == 1 { region[0] = v } else { region.update(repeating: v, count: run) }
            }
            dense += run
            var axis = j - 1
            while axis >= 0 {
                counter[axis] += 1
                offset += strides[axis]
                if counter[axis] < lengths[axis] { break }
                offset -= strides[axis] * lengths[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
    }

    // MARK: Read

    /// The elements selected by `indices`, one per leading dimension (missing ones mean the
    /// whole dimension): `x.slice([.at(0), .range(1, 3, closed: false)])` is `x[0, 1..<3]`.
    /// Gradients flow back into the selected positions.
    public func slice(_ indices: [TensorIndex]) throws -> Tensor {
        let box = try indexBox(indices)
        let source = self
        let name = box.hasIntegers ? "SelectBackward" : "SliceBackward"
        if box.coversEverything { return viewing(as: box.resultShape, name: name) }
        let backward: (Tensor) throws -> [Tensor?] = { g in
            if g.isMeta { return [try Tensor(metaShape: source.shape)] }
            let grad = try Tensor.zeros(source.shape)
            Tensor.copyBox(base: grad.storage.pointer, shape: source.shape, starts: box.starts, lengths: box.lengths,
                           .write(g.storage.pointer))
            return [grad]
        }
        if isMeta { return try Tensor(metaShape: box.resultShape, dtype: dtype).tracked(name, inputs: [source], backward: backward) }
        let result = try Tensor(uninitializedShape: box.resultShape, dtype: dtype)
        Tensor.copyBox(base: storage.pointer, shape: shape, starts: box.starts, lengths: box.lengths, .read(result.storage.pointer))
        return result.tracked(name, inputs: [source], backward: backward)
    }

    /// `x[1, 0..<2]` for Swift callers: `x[1, TensorIndex(0..<2)]`.
    public subscript(_ indices: TensorIndex...) -> Tensor {
        get throws { try slice(indices) }
    }

    // MARK: Write

    /// Checks that `value` broadcasts to the selection and returns how to write it.
    /// Values are converted to this tensor's element type (truncated for int64, like PyTorch).
    func fitted(_ value: Tensor, to sliceShape: [Int]) throws -> (tensor: Tensor?, fill: Float?, valueShape: [Int]) {
        var valueShape = value.shape
        while valueShape.count > sliceShape.count, valueShape.first == 1 { valueShape.removeFirst() }
        // A single number fits any selection; checking it without broadcastShapes keeps
        // element-by-element writes in loops cheap.
        let fits = (value.count == 1 && valueShape.count <= sliceShape.count)
            || (try? broadcastShapes(valueShape, sliceShape, operation: "index_put")) == sliceShape
        guard fits else {
            throw TensorError("index_put: shape mismatch: value tensor of shape \(shapeDescription(value.shape)) cannot be broadcast to indexing result of shape \(shapeDescription(sliceShape))")
        }
        if value.isMeta { return (nil, nil, valueShape) }
        if value.count == 1 {
            let v = value.storage.pointer[0]
            switch dtype {
            case .float32: return (nil, v, valueShape)
            case .int64: return (nil, try integerElement(v, operation: "index_put"), valueShape)
            case .bool: return (nil, v != 0 ? 1 : 0, valueShape)
            }
        }
        var dense = try value.detach().withShape(valueShape).broadcast(to: sliceShape)
        if dtype != .float32 && value.dtype != dtype {
            dense = try dense.converted(to: dtype)
        }
        return (dense, nil, valueShape)
    }

    /// A copy of this tensor with the selection replaced by `value` (broadcast to the
    /// selection's shape). Autograd sends the gradient outside the selection to this tensor
    /// and the gradient inside it, summed to `value`'s shape, to `value`.
    public func replacing(_ indices: [TensorIndex], with value: Tensor) throws -> Tensor {
        let box = try indexBox(indices)
        let (dense, fill, valueShape) = try fitted(value, to: box.resultShape)
        let source = self
        let backward: (Tensor) throws -> [Tensor?] = { g in
            if g.isMeta { return [try Tensor(metaShape: source.shape), try Tensor(metaShape: value.shape)] }
            var gradBase: Tensor?
            if source.gradNode != nil {
                let copy = try Tensor(uninitializedShape: g.shape)
                copy.storage.pointer.update(from: g.storage.pointer, count: g.count)
                Tensor.copyBox(base: copy.storage.pointer, shape: g.shape, starts: box.starts, lengths: box.lengths, .fill(0))
                gradBase = copy
            }
            var gradValue: Tensor?
            if value.gradNode != nil {
                gradValue = try g.slice(indices).sum(toShape: valueShape).withShape(value.shape)
            }
            return [gradBase, gradValue]
        }
        if isMeta || value.isMeta {
            return try Tensor(metaShape: shape, dtype: dtype).tracked("CopySlices", inputs: [source, value], backward: backward)
        }
        let result = try Tensor(uninitializedShape: shape, dtype: dtype)
        result.storage.pointer.update(from: storage.pointer, count: count)
        Tensor.write(into: result, box: box, dense: dense, fill: fill)
        return result.tracked("CopySlices", inputs: [source, value], backward: backward)
    }

    /// `replacing` with a number.
    public func replacing(_ indices: [TensorIndex], with value: Float) throws -> Tensor {
        try replacing(indices, with: Tensor(value, dtype: dtype))
    }

    static func write(into target: Tensor, box: IndexBox, dense: Tensor?, fill: Float?) {
        if let fill {
            copyBox(base: target.storage.pointer, shape: target.shape, starts: box.starts, lengths: box.lengths, .fill(fill))
        } else if let dense {
            copyBox(base: target.storage.pointer, shape: target.shape, starts: box.starts, lengths: box.lengths, .write(dense.storage.pointer))
        }
    }

    /// `x[indices] = value`. When autograd has to see the write (grad mode on and either side
    /// tracked) this is `self = replacing(indices, with: value)`; otherwise the elements are
    /// written in place, copying the storage first only if another tensor shares it.
    public mutating func assign(_ indices: [TensorIndex], _ value: Tensor) throws {
        if GradMode.isEnabled && (gradNode != nil || value.gradNode != nil) {
            self = try replacing(indices, with: value)
            return
        }
        let box = try indexBox(indices)
        let (dense, fill, _) = try fitted(value, to: box.resultShape)
        if isMeta { return }
        try makeUnique()
        Tensor.write(into: self, box: box, dense: dense, fill: fill)
    }

    /// `x[indices] = number`.
    public mutating func assign(_ indices: [TensorIndex], _ value: Float) throws {
        try assign(indices, Tensor(value, dtype: dtype))
    }
}
