import Foundation

// Softmax and log-softmax along one dimension. Both subtract the maximum of each slice
// before exponentiating, so large logits do not overflow.

extension Tensor {
    /// Runs `body(base, n, stride)` for every 1-D slice along `dim`, handing it row-major
    /// blocks: for each outer index, `inner` interleaved slices of `n` elements `inner` apart.
    /// `body` processes all `inner` slices of a block at once, so memory is read row by row.
    static func forEachSoftmaxBlock(shape: [Int], dim: Int, _ body: (_ offset: Int, _ n: Int, _ inner: Int) -> Void) {
        let (outer, n, inner) = split(shape, at: dim)
        for o in 0..<outer { body(o * n * inner, n, inner) }
    }

    /// Writes softmax (or log-softmax) of `src` along the middle axis of an [n, inner] block.
    static func softmaxBlock(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, n: Int, inner: Int,
                             log: Bool, scratch: UnsafeMutablePointer<Float>) {
        let maxima = scratch, sums = scratch + inner
        for j in 0..<inner { maxima[j] = src[j]; sums[j] = 0 }
        for k in 1..<Swift.max(n, 1) {
            let row = src + k * inner
            for j in 0..<inner where row[j] > maxima[j] || row[j].isNaN { maxima[j] = row[j] }
        }
        for k in 0..<n {
            let row = src + k * inner, out = dst + k * inner
            for j in 0..<inner {
                let e = Foundation.exp(row[j] - maxima[j])
                sums[j] += e
                out[j] = log ? row[j] - maxima[j] : e
            }
        }
        if log {
            for j in 0..<inner { sums[j] = Foundation.log(sums[j]) }
            for k in 0..<n {
                let out = dst + k * inner
                for j in 0..<inner { out[j] -= sums[j] }
            }
        } else {
            for j in 0..<inner { sums[j] = 1 / sums[j] }
            for k in 0..<n {
                let out = dst + k * inner
                for j in 0..<inner { out[j] *= sums[j] }
            }
        }
    }

    func softmaxForward(dim: Int, log: Bool) throws -> (result: Tensor, dim: Int) {
        let operation = log ? "logSoftmax" : "softmax"
        let d = try Tensor.normalizedDim(dim, rank: rank, operation: operation)
        if isMeta { return (try Tensor(metaShape: shape), d) }
        let result = try Tensor(uninitializedShape: shape)
        if count == 0 { return (result, d) }
        let (_, _, inner) = Tensor.split(shape, at: d)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * inner)
        defer { scratch.deallocate() }
        let src = storage.pointer, dst = result.storage.pointer
        Tensor.forEachSoftmaxBlock(shape: shape, dim: d) { offset, n, inner in
            Tensor.softmaxBlock(src + offset, dst + offset, n: n, inner: inner, log: log, scratch: scratch)
        }
        return (result, d)
    }

    /// Softmax along `dim`: exponentials normalised to sum to 1 over that dimension.
    public func softmax(dim: Int) throws -> Tensor {
        let (y, d) = try softmaxForward(dim: dim, log: false)
        let source = self
        return y.tracked("SoftmaxBackward", inputs: [source]) { g in
            // dx = y ⊙ (g − Σ g⊙y) along the dimension.
            [try Tensor.softmaxGradient(g, y, dim: d, log: false)]
        }
    }

    /// Log-softmax along `dim`, computed as x − max − log Σ exp(x − max).
    public func logSoftmax(dim: Int) throws -> Tensor {
        let (y, d) = try softmaxForward(dim: dim, log: true)
        let source = self
        return y.tracked("LogSoftmaxBackward", inputs: [source]) { g in
            // dx = g − exp(y) ⊙ Σ g along the dimension.
            [try Tensor.softmaxGradient(g, y, dim: d, log: true)]
        }
    }

    static func softmaxGradient(_ g: Tensor, _ y: Tensor, dim: Int, log: Bool) throws -> Tensor {
        if g.isMeta || y.isMeta { return try Tensor(metaShape: y.shape) }
        let result = try Tensor(uninitializedShape: y.shape)
        if y.count == 0 { return result }
        let (_, _, inner) = split(y.shape, at: dim)
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: inner)
        defer { sums.deallocate() }
        let gp = g.storage.pointer, yp = y.storage.pointer, out = result.storage.pointer
        forEachSoftmaxBlock(shape: y.shape, dim: dim) { offset, n, inner in
            let gb = gp + offset, yb = yp + offset, ob = out + offset
            for j in 0..<inner { sums[j] = 0 }
            for k in 0..<n {
                let gr = gb + k * inner, yr = yb + k * inner
                if log { for j in 0..<inner { sums[j] += gr[j] } } else { for j in 0..<inner { sums[j] += gr[j] * yr[j] } }
            }
            for k in 0..<n {
                let gr = gb + k * inner, yr = yb + k * inner, or = ob + k * inner
                if log {
                    for j in 0..<inner { or[j] = gr[j] - Foundation.exp(yr[j]) * sums[j] }
                } else {
                    for j in 0..<inner { or[j] = yr[j] * (gr[j] - sums[j]) }
                }
            }
        }
        return result
    }
}
