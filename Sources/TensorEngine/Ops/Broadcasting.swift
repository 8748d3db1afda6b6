/// NumPy/PyTorch broadcasting: shapes are aligned on the right; each pair of sizes must be
/// equal or one of them 1.
public func broadcastShapes(_ a: [Int], _ b: [Int], operation: String) throws -> [Int] {
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        if da == db || db == 1 { result[i] = da }
        else if da == 1 { result[i] = db }
        else {
            throw TensorError("\(operation): shapes \(shapeDescription(a)) and \(shapeDescription(b)) cannot be broadcast "
                + "(size \(da) ≠ \(db) at dimension \(i))")
        }
    }
    return result
}

/// Strides of `shape` seen from a broadcast `target` shape: 0 where a dimension is repeated.
func broadcastStrides(of shape: [Int], to target: [Int]) -> [Int] {
    let own = Tensor.contiguousStrides(shape)
    let offset = target.count - shape.count
    return (0..<target.count).map { i in
        i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
    }
}

/// Calls `body(outIndex, offsetA, offsetB)` for every element of `shape`, walking the last
/// dimension in an inner loop so that the index arithmetic stays out of it.
@inline(__always)
func forEachBroadcastOffset(shape: [Int], stridesA: [Int], stridesB: [Int],
                            _ body: (_ index: Int, _ offsetA: Int, _ offsetB: Int, _ innerCount: Int, _ innerStrideA: Int, _ innerStrideB: Int) -> Void) {
    let rank = shape.count
    let total = shape.reduce(1, *)
    if total == 0 { return }
    if rank == 0 { body(0, 0, 0, 1, 0, 0); return }
    let inner = shape[rank - 1]
    let isa = stridesA[rank - 1], isb = stridesB[rank - 1]
    var counter = [Int](repeating: 0, count: rank)
    var offA = 0, offB = 0, index = 0
    while index < total {
        body(index, offA, offB, inner, isa, isb)
        index += inner
        // Advance the outer dimensions like an odometer.
        var axis = rank - 2
        while axis >= 0 {
            counter[axis] += 1
            offA += stridesA[axis]
            offB += stridesB[axis]
            if counter[axis] < shape[axis] { break }
            offA -= stridesA[axis] * shape[axis]
            offB -= stridesB[axis] * shape[axis]
            counter[axis] = 0
            axis -= 1
        }
    }
}

extension Tensor {
    /// Sums a broadcast gradient back down to `target`, the shape of the operand it came from.
    public func sum(toShape target: [Int]) throws -> Tensor {
        if shape == target { return self }
        if isMeta { return try Tensor(metaShape: target) }
        _ = try broadcastShapes(target, shape, operation: "sum(toShape:)")
        var result = try Tensor.zeros(target)
        let targetStrides = broadcastStrides(of: target, to: shape)
        let zeroStrides = [Int](repeating: 0, count: shape.count)
        let src = storage.pointer, dst = result.storage.pointer
        forEachBroadcastOffset(shape: shape, stridesA: targetStrides, stridesB: zeroStrides) { index, offT, _, n, st, _ in
            if st == 0 {
                var acc: Float = 0
                for k in 0..<n { acc += src[index + k] }
                dst[offT] += acc
            } else {
                for k in 0..<n { dst[offT + k * st] += src[index + k] }
            }
        }
        result.dtype = dtype
        let source = self
        return result.tracked("SumToShapeBackward", inputs: [source]) { g in [try g.broadcast(to: source.shape)] }
    }

    /// Repeats the tensor along broadcast dimensions to fill `target` (a copy, like
    /// `expand(...).contiguous()`).
    public func broadcast(to target: [Int]) throws -> Tensor {
        if shape == target { return self }
        let final = try broadcastShapes(shape, target, operation: "expand")
        guard final == target else {
            throw TensorError("expand: the expanded size must match the existing size at every non-singleton dimension, cannot expand \(shapeDescription(shape)) to \(shapeDescription(target))")
        }
        let source = self
        return try Tensor.zipMap(self, Tensor.zeros(target), "expand", dtype: dtype) { a, _ in a }
            .tracked("ExpandBackward", inputs: [source]) { g in [try g.sum(toShape: source.shape)] }
    }
}
