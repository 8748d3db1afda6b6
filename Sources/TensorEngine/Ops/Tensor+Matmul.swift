import COpenBLAS

// Matrix products through OpenBLAS, with torch.matmul's rules for 1-D operands and
// broadcast batch dimensions.

extension Tensor {
    /// Batched product of the last two dimensions of `a` and `b` (each at least 2-D), with
    /// either side optionally transposed and the batch dimensions broadcast. Untracked.
    static func gemm(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                     shapes: ([Int], [Int])? = nil) throws -> Tensor {
        let ra = a.rank, rb = b.rank
        let n = transposeA ? a.shape[ra - 1] : a.shape[ra - 2]
        let k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1]
        let kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2]
        let m = transposeB ? b.shape[rb - 2] : b.shape[rb - 1]
        guard k == kb else {
            let (sa, sb) = shapes ?? (a.shape, b.shape)
            throw TensorError("matmul: \(shapeDescription(sa)) and \(shapeDescription(sb)) cannot be multiplied (\(k) ≠ \(kb))")
        }
        let batchA = Array(a.shape[..<(ra - 2)]), batchB = Array(b.shape[..<(rb - 2)])
        let batch: [Int]
        do {
            batch = try broadcastShapes(batchA, batchB, operation: "matmul")
        } catch {
            let (sa, sb) = shapes ?? (a.shape, b.shape)
            throw TensorError("matmul: the batch dimensions of \(shapeDescription(sa)) and \(shapeDescription(sb)) cannot be broadcast (\(shapeDescription(batchA)) and \(shapeDescription(batchB)))")
        }
        let dtype = arithmeticType(a, b)
        let outShape = batch + [n, m]
        if a.isMeta || b.isMeta { return try Tensor(metaShape: outShape, dtype: dtype) }
        if n * m == 0 { return try Tensor(uninitializedShape: outShape, dtype: dtype) }
        if k == 0 { return try Tensor.zeros(outShape, dtype: dtype) }
        let result = try Tensor(uninitializedShape: outShape, dtype: dtype)
        let pa = a.storage.pointer, pb = b.storage.pointer, pc = result.storage.pointer
        let ta = transposeA ? CblasTrans : CblasNoTrans, tb = transposeB ? CblasTrans : CblasNoTrans
        let lda = Int32(transposeA ? n : k), ldb = Int32(transposeB ? k : m)
        let countB = batchB.reduce(1, *)
        if countB == 1 && !transposeA {
            // One shared right-hand matrix: the batch of left matrices is one tall matrix.
            let rows = batchA.reduce(1, *) * n
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(rows), Int32(m), Int32(k), 1, pa, lda, pb, ldb, 0, pc, Int32(m))
            return result
        }
        let stridesA = broadcastStrides(of: batchA, to: batch), stridesB = broadcastStrides(of: batchB, to: batch)
        let batchCount = batch.reduce(1, *)
        var index = [Int](repeating: 0, count: batch.count)
        for c in 0..<batchCount {
            var offA = 0, offB = 0
            for d in 0..<batch.count {
                offA += index[d] * stridesA[d]
                offB += index[d] * stridesB[d]
            }
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(n), Int32(m), Int32(k), 1,
                        pa + offA * n * k, lda, pb + offB * k * m, ldb, 0, pc + c * n * m, Int32(m))
            var axis = batch.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < batch[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// The matrix product of two tensors (at least 2-D each), tracked.
    static func trackedGemm(_ a: Tensor, _ b: Tensor, name: String, shapes: ([Int], [Int])) throws -> Tensor {
        try gemm(a, b, shapes: shapes).tracked(name, inputs: [a, b]) { g in
            // dA = g · Bᵀ and dB = Aᵀ · g, summed over batch dimensions that were broadcast.
            [a.gradNode == nil ? nil : try gemm(g, b.detach(), transposeB: true).sum(toShape: a.shape),
             b.gradNode == nil ? nil : try gemm(a.detach(), g, transposeA: true).sum(toShape: b.shape)]
        }
    }

    /// The matrix product, like `torch.matmul`: vector·vector is a dot product (a scalar),
    /// a vector operand is treated as a row (left) or column (right) and that dimension is
    /// removed from the result, and dimensions before the last two are batch dimensions
    /// that broadcast.
    public func matmul(_ other: Tensor) throws -> Tensor {
        let a = self, b = other
        let shapes = (a.shape, b.shape)
        guard a.rank >= 1, b.rank >= 1 else {
            throw TensorError("matmul: both arguments need at least 1 dimension, got \(shapeDescription(a.shape)) and \(shapeDescription(b.shape))")
        }
        if Swift.max(a.rank, b.rank) > 2 && !(a.rank == 1 || b.rank == 1) {
            return try Tensor.trackedGemm(a, b, name: "BmmBackward", shapes: shapes)
        }
        if a.rank == 2 && b.rank == 2 {
            return try Tensor.trackedGemm(a, b, name: "MmBackward", shapes: shapes)
        }
        // A vector operand becomes a one-row or one-column matrix; that size-1 dimension is
        // removed again from the product.
        let left = a.rank == 1 ? a.viewing(as: [1, a.shape[0]], name: "UnsqueezeBackward") : a
        let right = b.rank == 1 ? b.viewing(as: [b.shape[0], 1], name: "UnsqueezeBackward") : b
        let product = try Tensor.trackedGemm(left, right, name: "MmBackward", shapes: shapes)
        var outShape = product.shape
        if b.rank == 1 { outShape.removeLast() }
        if a.rank == 1 { outShape.remove(at: outShape.count - (b.rank == 1 ? 1 : 2)) }
        let name = a.rank == 1 && b.rank == 1 ? "DotBackward" : (b.rank == 1 && a.rank == 2 ? "MvBackward" : "ViewBackward")
        return product.viewing(as: outShape, name: name)
    }

    /// `a.matmul(b)`.
    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try a.matmul(b) }
}
