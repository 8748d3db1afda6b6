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

/// Calls `body(outIndex, offsetA, offsetB, innerCount, innerStrideA, innerStrideB)` for every
/// run of elements of `shape`, walking the innermost dimension in the caller's loop so that the
/// index arithmetic stays out of it.
///
/// Dimensions of size 1 are dropped and neighbouring dimensions that both operands traverse
/// evenly are merged first, so that the runs are as long as possible: adding a bias of shape
/// [C, 1, 1] to [N, C, H, W] becomes N·C runs of H·W elements with one bias value each, and a
/// same-layout pair becomes a single run.
@inline(__always)
func forEachBroadcastOffset(shape: [Int], stridesA: [Int], stridesB: [Int],
                            _ body: (_ index: Int, _ offsetA: Int, _ offsetB: Int, _ innerCount: Int, _ innerStrideA: Int, _ innerStrideB: Int) -> Void) {
    let total = shape.reduce(1, *)
    if total == 0 { return }
    // Coalesce, innermost first.
    var dims: [Int] = [], sa: [Int] = [], sb: [Int] = []
    dims.reserveCapacity(shape.count); sa.reserveCapacity(shape.count); sb.reserveCapacity(shape.count)
    for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
        if let last = dims.indices.last, stridesA[axis] == sa[last] * dims[last], stridesB[axis] == sb[last] * dims[last] {
            dims[last] *= shape[axis]
        } else {
            dims.append(shape[axis]); sa.append(stridesA[axis]); sb.append(stridesB[axis])
        }
    }
    if dims.isEmpty { body(0, 0, 0, 1, 0, 0); return }
    let inner = dims[0], isa = sa[0], isb = sb[0]
    let outer = dims.count
    if outer == 1 { body(0, 0, 0, inner, isa, isb); return }
    var counter = [Int](repeating: 0, count: outer)
    var offA = 0, offB = 0, index = 0
    while index < total {
        body(index, offA, offB, inner, isa, isb)
        index += inner
        // Advance the outer dimensions (1..<outer, innermost first) like an odometer.
        var axis = 1
        while axis < outer {
            counter[axis] += 1
            offA += sa[axis]
            offB += sb[axis]
            if counter[axis] < dims[axis] { break }
            offA -= sa[axis] * dims[axis]
            offB -= sb[axis] * dims[axis]
            counter[axis] = 0
            axis += 1
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
