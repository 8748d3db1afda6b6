import Foundation

/// Batch normalisation over dimension 1 of a [N, C] or [N, C, ...] input (BatchNorm1d and
/// BatchNorm2d), like `F.batch_norm`.
///
/// In training, each channel is normalised with the batch mean and the biased batch variance,
/// and the running statistics (when given) are updated with momentum: `running = (1 − m)·running
/// + m·batch`, using the unbiased variance for `runningVar`, as PyTorch does. In evaluation the
/// running statistics are used (or the batch's, when there are none). `weight` and `bias` ([C])
/// are the optional affine transform. Gradients flow to input, weight and bias.
public func batchNorm(_ input: Tensor, runningMean: inout Tensor?, runningVar: inout Tensor?,
                      weight: Tensor? = nil, bias: Tensor? = nil, training: Bool,
                      momentum: Float = 0.1, eps: Float = 1e-5) throws -> Tensor {
    guard input.rank >= 2 else {
        throw TensorError("batchNorm: expected an input of at least 2 dimensions [N, C, ...], got \(shapeDescription(input.shape))")
    }
    let N = input.shape[0], C = input.shape[1]
    let S = input.shape.dropFirst(2).reduce(1, *)
    for (name, t) in [("weight", weight), ("bias", bias), ("running_mean", runningMean), ("running_var", runningVar)] {
        if let t, t.shape != [C] {
            throw TensorError("batchNorm: expected \(name) of shape [\(C)] for input \(shapeDescription(input.shape)), got \(shapeDescription(t.shape))")
        }
    }
    let useBatchStatistics = training || runningMean == nil || runningVar == nil
    let M = N * S
    if training && M <= 1 {
        throw TensorError("batchNorm: expected more than 1 value per channel when training, got input size \(shapeDescription(input.shape))")
    }
    if input.isMeta { return try Tensor(metaShape: input.shape) }

    // Per-channel mean and 1/sqrt(var + eps) used for this call.
    var mean = [Float](repeating: 0, count: C)
    var invStd = [Float](repeating: 0, count: C)
    let x = input.storage.pointer
    if useBatchStatistics {
        var unbiased = [Float](repeating: 0, count: C)
        for c in 0..<C {
            var sum: Double = 0
            for n in 0..<N {
                let p = x + (n * C + c) * S
                var acc: Float = 0
                for s in 0..<S { acc += p[s] }
                sum += Double(acc)
            }
            let m = Float(sum / Double(Swift.max(M, 1)))
            var squares: Double = 0
            for n in 0..<N {
                let p = x + (n * C + c) * S
                var acc: Float = 0
                for s in 0..<S { let d = p[s] - m; acc += d * d }
                squares += Double(acc)
            }
            let variance = Float(squares / Double(Swift.max(M, 1)))
            mean[c] = m
            invStd[c] = 1 / (variance + eps).squareRoot()
            unbiased[c] = M > 1 ? Float(squares / Double(M - 1)) : variance
        }
        if training, var rm = runningMean, var rv = runningVar {
            try rm.withUnsafeMutableBufferPointer { p in
                for c in 0..<C { p[c] = (1 - momentum) * p[c] + momentum * mean[c] }
            }
            try rv.withUnsafeMutableBufferPointer { p in
                for c in 0..<C { p[c] = (1 - momentum) * p[c] + momentum * unbiased[c] }
            }
            runningMean = rm.detach()
            runningVar = rv.detach()
        }
    } else if let rm = runningMean, let rv = runningVar {
        for c in 0..<C {
            mean[c] = rm.storage.pointer[c]
            invStd[c] = 1 / (rv.storage.pointer[c] + eps).squareRoot()
        }
    }

    let output = try Tensor(uninitializedShape: input.shape)
    let y = output.storage.pointer
    let w = weight?.storage.pointer, b = bias?.storage.pointer
    for n in 0..<N {
        for c in 0..<C {
            let scale = invStd[c] * (w?[c] ?? 1)
            let shift = (b?[c] ?? 0) - mean[c] * scale
            let src = x + (n * C + c) * S, dst = y + (n * C + c) * S
            for s in 0..<S { dst[s] = src[s] * scale + shift }
        }
    }

    var inputs = [input]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    return output.tracked("NativeBatchNormBackward", inputs: inputs) { g in
        let gp = g.storage.pointer
        // Per channel: Σ dy and Σ dy·x̂.
        var sumG = [Float](repeating: 0, count: C)
        var sumGX = [Float](repeating: 0, count: C)
        for c in 0..<C {
            var a: Double = 0, bsum: Double = 0
            for n in 0..<N {
                let gr = gp + (n * C + c) * S, src = x + (n * C + c) * S
                var accA: Float = 0, accB: Float = 0
                let m = mean[c], inv = invStd[c]
                for s in 0..<S { accA += gr[s]; accB += gr[s] * (src[s] - m) * inv }
                a += Double(accA); bsum += Double(accB)
            }
            sumG[c] = Float(a); sumGX[c] = Float(bsum)
        }
        var grads: [Tensor?] = []
        if input.gradNode != nil {
            let dx = try Tensor(uninitializedShape: input.shape)
            let dp = dx.storage.pointer
            for n in 0..<N {
                for c in 0..<C {
                    let gamma = w?[c] ?? 1, inv = invStd[c], m = mean[c]
                    let src = x + (n * C + c) * S, gr = gp + (n * C + c) * S, dst = dp + (n * C + c) * S
                    if useBatchStatistics {
                        // dx = γ·σ⁻¹·(dy − mean(dy) − x̂·mean(dy·x̂))
                        let k = gamma * inv, meanG = sumG[c] / Float(M), meanGX = sumGX[c] / Float(M)
                        for s in 0..<S { dst[s] = k * (gr[s] - meanG - (src[s] - m) * inv * meanGX) }
                    } else {
                        let k = gamma * inv
                        for s in 0..<S { dst[s] = k * gr[s] }
                    }
                }
            }
            grads.append(dx)
        } else {
            grads.append(nil)
        }
        if let weight { grads.append(weight.gradNode != nil ? try Tensor(shape: [C], scalars: sumGX) : nil) }
        if let bias { grads.append(bias.gradNode != nil ? try Tensor(shape: [C], scalars: sumG) : nil) }
        return grads
    }
}
