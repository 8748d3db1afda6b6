// Reductions over all elements or along dimensions. Integer and boolean sums stay integral
// (int64), means are always float32, max/min keep the element type, arg-reductions are int64.

/// Sums `n` contiguous floats: 16 lanes per block of 4096, blocks added in Double, which
/// keeps the error of long sums small without giving up vectorisation.
@inline(__always)
func sumContiguous(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var total = 0.0
    var start = 0
    while start < n {
        let end = Swift.min(start + 4096, n)
        var lanes = SIMD16<Float>(repeating: 0)
        var i = start
        while i + 16 <= end {
            lanes += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var rest: Float = lanes.sum()
        while i < end { rest += p[i]; i += 1 }
        total += Double(rest)
        start = end
    }
    return Float(total)
}

extension Tensor {
    /// The integral type of a sum: ints and booleans add up to int64, like PyTorch.
    var sumType: DType { dtype == .float32 ? .float32 : .int64 }

    /// Splits `shape` around `dim` into (outer, size, inner) element counts.
    static func split(_ shape: [Int], at dim: Int) -> (outer: Int, size: Int, inner: Int) {
        if shape.isEmpty { return (1, 1, 1) }
        return (shape[..<dim].reduce(1, *), shape[dim], shape[(dim + 1)...].reduce(1, *))
    }

    /// The shape after reducing `dims`: kept as size 1 or removed.
    static func reducedShape(_ shape: [Int], dims: Set<Int>, keepDim: Bool) -> [Int] {
        var result: [Int] = []
        for (i, s) in shape.enumerated() {
            if dims.contains(i) { if keepDim { result.append(1) } } else { result.append(s) }
        }
        return result
    }

    func normalizedDims(_ dims: [Int], operation: String) throws -> Set<Int> {
        var set = Set<Int>()
        for d in dims {
            let n = try Tensor.normalizedDim(d, rank: rank, operation: operation)
            if !set.insert(n).inserted {
                throw TensorError("\(operation): dim \(n) appears multiple times in the list of dims \(shapeDescription(dims))")
            }
        }
        return set
    }

    /// Sums along one dimension of a real tensor into a new (untracked) one of keepDim shape.
    func rawSum(dim: Int) throws -> Tensor {
        var keptShape = shape
        keptShape[dim] = 1
        let (outer, n, inner) = Tensor.split(shape, at: dim)
        let result = try Tensor.zeros(keptShape, dtype: sumType)
        let src = storage.pointer, dst = result.storage.pointer
        if inner == 1 {
            for o in 0..<outer { dst[o] = sumContiguous(src + o * n, n) }
        } else {
            for o in 0..<outer {
                let out = dst + o * inner
                for k in 0..<n {
                    let row = src + (o * n + k) * inner
                    for j in 0..<inner { out[j] += row[j] }
                }
            }
        }
        return result
    }

    /// Sums over `dims` and tracks the result under `name`; the gradient is broadcast back.
    func reduceSum(dims: Set<Int>, keepDim: Bool, name: String) throws -> Tensor {
        let source = self
        let outShape = Tensor.reducedShape(shape, dims: dims, keepDim: keepDim)
        let keptShape = Tensor.reducedShape(shape, dims: dims, keepDim: true)
        let backward: (Tensor) throws -> [Tensor?] = { g in
            [try g.withShape(keptShape).broadcast(to: source.shape)]
        }
        if isMeta { return try Tensor(metaShape: outShape, dtype: sumType).tracked(name, inputs: [source], backward: backward) }
        var result: Tensor
        if dims.count >= rank {
            result = Tensor(sumContiguous(storage.pointer, count), dtype: sumType)
        } else {
            result = self.detach()
            for d in dims.sorted(by: >) where shape[d] != 1 {
                result = try result.rawSum(dim: d)
            }
            result.dtype = sumType
        }
        return result.withShape(outShape).tracked(name, inputs: [source], backward: backward)
    }

    // MARK: Sum and mean

    /// The sum of all elements, as a scalar (int64 for integer and boolean tensors).
    public func sum() throws -> Tensor {
        try reduceSum(dims: Set(0..<rank), keepDim: false, name: "SumBackward")
    }

    /// The sum along `dim` (negative counts from the end); `keepDim` keeps it as size 1.
    public func sum(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try reduceSum(dims: normalizedDims([dim], operation: "sum"), keepDim: keepDim, name: "SumBackward1")
    }

    /// The sum over several dimensions at once.
    public func sum(dims: [Int], keepDim: Bool = false) throws -> Tensor {
        try reduceSum(dims: normalizedDims(dims, operation: "sum"), keepDim: keepDim, name: "SumBackward1")
    }

    /// The mean of all elements (always float32; NaN for an empty tensor, like PyTorch).
    public func mean() throws -> Tensor {
        try reduceMean(dims: Set(0..<rank), keepDim: false, name: "MeanBackward")
    }

    /// The mean along `dim`.
    public func mean(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try reduceMean(dims: normalizedDims([dim], operation: "mean"), keepDim: keepDim, name: "MeanBackward1")
    }

    /// The mean over several dimensions at once (e.g. `[0, 2, 3]` for per-channel statistics).
    public func mean(dims: [Int], keepDim: Bool = false) throws -> Tensor {
        try reduceMean(dims: normalizedDims(dims, operation: "mean"), keepDim: keepDim, name: "MeanBackward1")
    }

    func reduceMean(dims: Set<Int>, keepDim: Bool, name: String) throws -> Tensor {
        let source = self
        let n = dims.reduce(1) { $0 * (rank == 0 ? 1 : shape[$1]) }
        let scale = 1 / Float(n)
        let keptShape = Tensor.reducedShape(shape, dims: dims, keepDim: true)
        var total = try detach().reduceSum(dims: dims, keepDim: keepDim, name: name)
        total.dtype = .float32
        if !isMeta {
            let p = total.storage.pointer
            for i in 0..<total.count { p[i] *= scale }
        }
        return total.tracked(name, inputs: [source]) { g in
            var spread = try g.withShape(keptShape).broadcast(to: source.shape)
            try spread.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] *= scale } }
            return [spread]
        }
    }

    // MARK: Max and min

    /// Finds the largest (or smallest) element along `dim`: values and their first index.
    /// NaN wins over every number, as in PyTorch.
    func extremum(dim: Int, keepDim: Bool, largest: Bool, operation: String) throws -> (values: Tensor, indices: Tensor) {
        let d = try Tensor.normalizedDim(dim, rank: rank, operation: operation)
        let outShape = rank == 0 ? [] : Tensor.reducedShape(shape, dims: [d], keepDim: keepDim)
        if rank > 0 && shape[d] == 0 {
            throw TensorError("\(operation): expected reduction dim \(d) to have non-zero size, got shape \(shapeDescription(shape))")
        }
        if isMeta { return (try Tensor(metaShape: outShape, dtype: dtype), try Tensor(metaShape: outShape, dtype: .int64)) }
        let (outer, n, inner) = Tensor.split(shape, at: d)
        let values = try Tensor(uninitializedShape: outShape, dtype: dtype)
        let indices = try Tensor(uninitializedShape: outShape, dtype: .int64)
        let src = storage.pointer, best = values.storage.pointer, where_ = indices.storage.pointer
        @inline(__always) func better(_ v: Float, _ b: Float) -> Bool {
            if b.isNaN { return false }
            return v.isNaN || (largest ? v > b : v < b)
        }
        for o in 0..<outer {
            let base = src + o * n * inner
            let vb = best + o * inner, ib = where_ + o * inner
            for j in 0..<inner { vb[j] = base[j]; ib[j] = 0 }
            for k in 1..<Swift.max(n, 1) {
                let row = base + k * inner
                for j in 0..<inner where better(row[j], vb[j]) {
                    vb[j] = row[j]
                    ib[j] = Float(k)
                }
            }
        }
        return (values, indices)
    }

    /// The largest element, as a scalar. Its gradient is shared evenly among tied maxima,
    /// as PyTorch does for the full reduction.
    public func max() throws -> Tensor { try fullExtremum(largest: true) }

    /// The smallest element, as a scalar (gradient shared evenly among ties).
    public func min() throws -> Tensor { try fullExtremum(largest: false) }

    func fullExtremum(largest: Bool) throws -> Tensor {
        let operation = largest ? "max" : "min"
        guard count > 0 else {
            throw TensorError("\(operation): expected a non-empty tensor to reduce over all elements, got shape \(shapeDescription(shape))",
                              suggestion: "specify the reduction dim with the 'dim' argument")
        }
        let flat = withShape([count])
        let value = try flat.extremum(dim: 0, keepDim: false, largest: largest, operation: operation).values
        let source = self
        return value.tracked(largest ? "MaxBackward1" : "MinBackward1", inputs: [source]) { g in
            let x = source.detach()
            if x.isMeta || g.isMeta { return [try Tensor(metaShape: source.shape)] }
            let mask = try Tensor.zipMap(x, value, operation) { $0 == $1 || ($0.isNaN && $1.isNaN) ? 1 : 0 }
            let ties = Swift.max(sumContiguous(mask.storage.pointer, mask.count), 1)
            return [try mask * (g / Tensor(ties))]
        }
    }

    /// The largest values along `dim`; the gradient goes to the selected element.
    public func max(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try maxWithIndices(dim: dim, keepDim: keepDim).values
    }

    /// The smallest values along `dim`.
    public func min(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try minWithIndices(dim: dim, keepDim: keepDim).values
    }

    /// The largest values along `dim` and their indices (int64), like `torch.max(x, dim)`.
    public func maxWithIndices(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try selectExtremum(dim: dim, keepDim: keepDim, largest: true)
    }

    /// The smallest values along `dim` and their indices (int64), like `torch.min(x, dim)`.
    public func minWithIndices(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try selectExtremum(dim: dim, keepDim: keepDim, largest: false)
    }

    func selectExtremum(dim: Int, keepDim: Bool, largest: Bool) throws -> (values: Tensor, indices: Tensor) {
        let operation = largest ? "max" : "min"
        let (values, indices) = try extremum(dim: dim, keepDim: keepDim, largest: largest, operation: operation)
        let source = self
        let d = try Tensor.normalizedDim(dim, rank: rank, operation: operation)
        let tracked = values.tracked(largest ? "MaxBackward" : "MinBackward", inputs: [source]) { g in
            if g.isMeta { return [try Tensor(metaShape: source.shape)] }
            let (outer, n, inner) = Tensor.split(source.shape, at: d)
            let grad = try Tensor.zeros(source.shape)
            let gp = g.storage.pointer, ip = indices.storage.pointer, out = grad.storage.pointer
            for o in 0..<outer {
                for j in 0..<inner {
                    let k = Int(ip[o * inner + j])
                    out[(o * n + k) * inner + j] = gp[o * inner + j]
                }
            }
            return [grad]
        }
        return (tracked, indices)
    }

    // MARK: Arg-reductions

    /// The flat index of the first largest element, as an int64 scalar.
    public func argmax() throws -> Tensor { try fullArg(largest: true) }

    /// The flat index of the first smallest element, as an int64 scalar.
    public func argmin() throws -> Tensor { try fullArg(largest: false) }

    func fullArg(largest: Bool) throws -> Tensor {
        let operation = largest ? "argmax" : "argmin"
        guard count > 0 else {
            throw TensorError("\(operation): expected a non-empty tensor, got shape \(shapeDescription(shape))")
        }
        return try withShape([count]).extremum(dim: 0, keepDim: false, largest: largest, operation: operation).indices
    }

    /// The index of the first largest element along `dim` (int64, no gradient).
    public func argmax(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try extremum(dim: dim, keepDim: keepDim, largest: true, operation: "argmax").indices
    }

    /// The index of the first smallest element along `dim` (int64, no gradient).
    public func argmin(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try extremum(dim: dim, keepDim: keepDim, largest: false, operation: "argmin").indices
    }
}
