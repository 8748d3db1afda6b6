// Shape operations. Storage is always row-major and contiguous, so a reshape shares the
// storage of its source, while permute/transpose gather into a new buffer.

extension Tensor {
    /// Resolves a possibly negative dimension against `rank`. Like PyTorch, a scalar accepts
    /// 0 and -1 as if it had one dimension.
    static func normalizedDim(_ dim: Int, rank: Int, operation: String) throws -> Int {
        let r = Swift.max(rank, 1)
        guard dim >= -r && dim < r else {
            throw TensorError("\(operation): dimension out of range (expected to be in range of [\(-r), \(r - 1)], but got \(dim))")
        }
        return dim < 0 ? dim + r : dim
    }

    /// Fills in the single -1 of `requested` so that it holds `count` elements.
    static func resolvedShape(_ requested: [Int], count: Int, from shape: [Int], operation: String) throws -> [Int] {
        let inferred = requested.indices.filter { requested[$0] == -1 }
        if inferred.count > 1 {
            throw TensorError("\(operation): only one dimension can be inferred, got \(shapeDescription(requested))")
        }
        if let bad = requested.first(where: { $0 < -1 }) {
            throw TensorError("\(operation): invalid shape dimension \(bad) in \(shapeDescription(requested))")
        }
        let cannot = TensorError("\(operation): cannot view \(shapeDescription(shape)) (\(count) elements) as \(shapeDescription(requested))")
        var known = 1
        for d in requested where d != -1 {
            let (p, overflow) = known.multipliedReportingOverflow(by: d)
            if overflow { throw cannot }
            known = p
        }
        var result = requested
        if let i = inferred.first {
            guard known != 0, count % known == 0 else { throw cannot }
            result[i] = count / known
        } else if known != count {
            throw cannot
        }
        return result
    }

    /// The same storage seen with `newShape`, tracked under `name`.
    func viewing(as newShape: [Int], name: String) -> Tensor {
        let source = self
        return Tensor(shape: newShape, storage: storage, dtype: dtype)
            .tracked(name, inputs: [source]) { g in [g.viewing(as: source.shape, name: "ViewBackward")] }
    }

    // MARK: Reshape

    /// The elements with another shape of the same count; one dimension may be -1 (inferred).
    /// Never copies: the result shares this tensor's storage until either is written to.
    public func reshape(_ newShape: [Int]) throws -> Tensor {
        viewing(as: try Tensor.resolvedShape(newShape, count: count, from: shape, operation: "reshape"), name: "ViewBackward")
    }

    /// `reshape` with the sizes as separate arguments: `x.reshape(1, 1, 4, 4)`.
    public func reshape(_ newShape: Int...) throws -> Tensor { try reshape(newShape) }

    /// Same as `reshape` (the storage is always contiguous, so every reshape is a view).
    public func view(_ newShape: [Int]) throws -> Tensor {
        viewing(as: try Tensor.resolvedShape(newShape, count: count, from: shape, operation: "view"), name: "ViewBackward")
    }

    /// `view` with the sizes as separate arguments.
    public func view(_ newShape: Int...) throws -> Tensor { try view(newShape) }

    /// Merges the dimensions `startDim...endDim` into one, like `torch.flatten`.
    /// A scalar becomes a one-element vector.
    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        if rank == 0 { return viewing(as: [1], name: "ViewBackward") }
        let s = try Tensor.normalizedDim(startDim, rank: rank, operation: "flatten")
        let e = try Tensor.normalizedDim(endDim, rank: rank, operation: "flatten")
        guard s <= e else {
            throw TensorError("flatten: start_dim (\(startDim)) cannot come after end_dim (\(endDim)) for shape \(shapeDescription(shape))")
        }
        if s == e { return self }
        let merged = shape[s...e].reduce(1, *)
        return viewing(as: Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]), name: "ViewBackward")
    }

    // MARK: Squeeze / unsqueeze

    /// Removes every dimension of size 1.
    public func squeeze() -> Tensor {
        viewing(as: shape.filter { $0 != 1 }, name: "SqueezeBackward")
    }

    /// Removes dimension `dim` if its size is 1; otherwise returns the tensor unchanged, like PyTorch.
    public func squeeze(dim: Int) throws -> Tensor {
        let d = try Tensor.normalizedDim(dim, rank: rank, operation: "squeeze")
        guard rank > 0, shape[d] == 1 else { return self }
        var s = shape
        s.remove(at: d)
        return viewing(as: s, name: "SqueezeBackward1")
    }

    /// Inserts a dimension of size 1 at `dim` (which may be `rank`, or negative).
    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try Tensor.normalizedDim(dim, rank: rank + 1, operation: "unsqueeze")
        var s = shape
        s.insert(1, at: d)
        return viewing(as: s, name: "UnsqueezeBackward")
    }

    /// `unsqueeze` with a labelled argument.
    public func unsqueeze(dim: Int) throws -> Tensor { try unsqueeze(dim) }

    // MARK: Permute / transpose

    /// Reorders the dimensions: result dimension i is this tensor's dimension `dims[i]`.
    public func permute(_ dims: [Int]) throws -> Tensor {
        try permuted(dims, operation: "permute", name: "PermuteBackward")
    }

    /// `permute` with the dimensions as separate arguments: `x.permute(0, 2, 3, 1)`.
    public func permute(_ dims: Int...) throws -> Tensor { try permute(dims) }

    /// Swaps two dimensions.
    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        let a = try Tensor.normalizedDim(dim0, rank: rank, operation: "transpose")
        let b = try Tensor.normalizedDim(dim1, rank: rank, operation: "transpose")
        if rank < 2 { return self }
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permuted(order, operation: "transpose", name: "TransposeBackward")
    }

    /// The transpose of a matrix (a tensor of at most 2 dimensions), like `Tensor.t()`.
    public func transposed() throws -> Tensor {
        guard rank <= 2 else {
            throw TensorError("t: expects a tensor with <= 2 dimensions, but got shape \(shapeDescription(shape))",
                              suggestion: "use transpose(_:_:) or permute for more dimensions")
        }
        return rank < 2 ? self : try transpose(0, 1)
    }

    func permuted(_ dims: [Int], operation: String, name: String) throws -> Tensor {
        guard dims.count == rank else {
            throw TensorError("\(operation): number of dims don't match: the tensor has \(rank) dimensions (shape \(shapeDescription(shape))) but \(dims.count) were given \(shapeDescription(dims))")
        }
        var order = [Int]()
        order.reserveCapacity(rank)
        for d in dims {
            let n = try Tensor.normalizedDim(d, rank: rank, operation: operation)
            if order.contains(n) { throw TensorError("\(operation): repeated dim \(n) in \(shapeDescription(dims))") }
            order.append(n)
        }
        let newShape = order.map { shape[$0] }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in order.enumerated() { inverse[d] = i }
        let source = self
        let backward: (Tensor) throws -> [Tensor?] = { g in [try g.permuted(inverse, operation: operation, name: name)] }
        // Moving only size-1 dimensions leaves the row-major order unchanged: share storage.
        if order.filter({ shape[$0] != 1 }) == (0..<rank).filter({ shape[$0] != 1 }) {
            return Tensor(shape: newShape, storage: storage, dtype: dtype).tracked(name, inputs: [source], backward: backward)
        }
        if isMeta { return try Tensor(metaShape: newShape, dtype: dtype).tracked(name, inputs: [source], backward: backward) }
        let result = try Tensor(uninitializedShape: newShape, dtype: dtype)
        let own = strides
        let sourceStrides = order.map { own[$0] }
        let src = storage.pointer, dst = result.storage.pointer
        Tensor.gather(src, strides: sourceStrides, shape: newShape, into: dst)
        return result.tracked(name, inputs: [source], backward: backward)
    }

    /// Writes the elements of a strided view of `src` (in `shape`'s row-major order) to `dst`.
    /// A 2-D transpose is done in tiles so that both sides stay in cache.
    static func gather(_ src: UnsafePointer<Float>, strides: [Int], shape: [Int], into dst: UnsafeMutablePointer<Float>) {
        let rank = shape.count
        if rank >= 2, strides[rank - 1] != 1 {
            // Tiled over the last two dimensions, looping the outer ones like an odometer.
            let rows = shape[rank - 2], cols = shape[rank - 1]
            let rs = strides[rank - 2], cs = strides[rank - 1]
            let outer = shape[..<(rank - 2)].reduce(1, *)
            let tile = 32
            var counter = [Int](repeating: 0, count: rank - 2)
            var srcBase = 0
            for o in 0..<outer {
                let out = dst + o * rows * cols
                var i0 = 0
                while i0 < rows {
                    let i1 = Swift.min(i0 + tile, rows)
                    var j0 = 0
                    while j0 < cols {
                        let j1 = Swift.min(j0 + tile, cols)
                        for i in i0..<i1 {
                            let s = src + srcBase + i * rs
                            let d = out + i * cols
                            for j in j0..<j1 { d[j] = s[j * cs] }
                        }
                        j0 = j1
                    }
                    i0 = i1
                }
                var axis = rank - 3
                while axis >= 0 {
                    counter[axis] += 1
                    srcBase += strides[axis]
                    if counter[axis] < shape[axis] { break }
                    srcBase -= strides[axis] * shape[axis]
                    counter[axis] = 0
                    axis -= 1
                }
            }
            return
        }
        let zeros = [Int](repeating: 0, count: rank)
        forEachBroadcastOffset(shape: shape, stridesA: strides, stridesB: zeros) { index, offset, _, n, step, _ in
            if step == 1 {
                (dst + index).update(from: src + offset, count: n)
            } else {
                for k in 0..<n { dst[index + k] = src[offset + k * step] }
            }
        }
    }

    // MARK: Expand

    /// Repeats size-1 dimensions (and adds leading ones) to reach `sizes`; -1 keeps a size.
    /// The result is a materialised copy (`broadcast(to:)`), since storage is always contiguous.
    public func expand(_ sizes: [Int]) throws -> Tensor {
        guard sizes.count >= rank else {
            throw TensorError("expand: the number of sizes provided (\(sizes.count)) must be greater or equal to the number of dimensions in the tensor (\(rank)), shape \(shapeDescription(shape))")
        }
        let lead = sizes.count - rank
        var target = sizes
        for (i, s) in sizes.enumerated() where s == -1 {
            guard i >= lead else {
                throw TensorError("expand: the expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension \(i)")
            }
            target[i] = shape[i - lead]
        }
        try Tensor.validate(shape: target, operation: "expand")
        for i in 0..<rank where shape[i] != 1 && shape[i] != target[lead + i] {
            throw TensorError("expand: the expanded size of the tensor (\(target[lead + i])) must match the existing size (\(shape[i])) at non-singleton dimension \(lead + i). Target sizes: \(shapeDescription(sizes)). Tensor sizes: \(shapeDescription(shape))")
        }
        if isMeta {
            let source = self
            return try Tensor(metaShape: target, dtype: dtype)
                .tracked("ExpandBackward", inputs: [source]) { g in [try g.sum(toShape: source.shape)] }
        }
        return try broadcast(to: target)
    }

    /// `expand` with the sizes as separate arguments.
    public func expand(_ sizes: Int...) throws -> Tensor { try expand(sizes) }
}
