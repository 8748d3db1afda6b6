import Foundation

/// How a loss combines its per-element values, like PyTorch's `reduction=`.
public enum LossReduction: String, Sendable {
    /// The average (the default).
    case mean
    /// The total.
    case sum
    /// No reduction: one value per element (per sample for cross-entropy).
    case none
}

/// Squared error between `input` and `target` (broadcast together), averaged by default,
/// like `F.mse_loss`.
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
    let difference: Tensor
    do {
        difference = try input - target
    } catch let error as TensorError {
        throw TensorError("mseLoss: input \(shapeDescription(input.shape)) and target \(shapeDescription(target.shape)) cannot be broadcast together", suggestion: error.message)
    }
    if reduction == .none {
        return try difference * difference
    }
    if difference.isMeta { return try Tensor(metaShape: []) }
    let n = difference.count
    let d = difference.storage.pointer
    var total: Double = 0
    for i in 0..<n { total += Double(d[i] * d[i]) }
    let scale: Float = reduction == .mean ? 1 / Float(Swift.max(n, 1)) : 1
    // PyTorch gives nan for the mean of nothing.
    let value = n == 0 && reduction == .mean ? Float.nan : Float(total) * scale
    return Tensor(value).tracked("MseLossBackward", inputs: [difference]) { g in
        let factor = 2 * scale * (try g.item())
        let result = try Tensor(uninitializedShape: difference.shape)
        let r = result.storage.pointer
        for i in 0..<n { r[i] = factor * d[i] }
        return [result]
    }
}

/// Cross-entropy between `logits` [N, C] (unnormalised scores) and `targets`, averaged over
/// the batch by default, like `F.cross_entropy`. Targets are either class indices [N] (0..<C) or,
/// when they are `.float32` of the logits' own shape, class probabilities (PyTorch's "soft
/// labels": the loss of a row is −Σ t·log softmax(x)). Computed through a fused, numerically
/// stable log-softmax (the maximum is subtracted before exponentiating); the gradient to the
/// logits is softmax·Σt − t (softmax − one-hot for indices). A single sample may be given as
/// logits [C] with a scalar target (or [C] probabilities); its unreduced loss is 0-d.
public func crossEntropy(_ logits: Tensor, _ targets: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
    let single = logits.rank == 1
    guard logits.rank == 2 || single else {
        throw TensorError("crossEntropy: expected logits of shape [N, C] (or [C]), got \(shapeDescription(logits.shape))")
    }
    let N = single ? 1 : logits.shape[0], C = logits.shape[logits.rank - 1]
    let expectedTargets = single ? [] : [N]
    let probabilityTargets = targets.dtype == .float32 && targets.shape == logits.shape
    guard targets.shape == expectedTargets || probabilityTargets else {
        throw TensorError("crossEntropy: expected targets of shape \(shapeDescription(expectedTargets)) (class indices) for logits \(shapeDescription(logits.shape)), got \(shapeDescription(targets.shape))",
                          suggestion: targets.shape == logits.shape ? "probabilities must be float32 tensors; one-hot integer targets are class indices: use argmax(dim: 1)" : nil)
    }
    guard C > 0 else { throw TensorError("crossEntropy: logits \(shapeDescription(logits.shape)) have no classes") }
    let outShape: [Int] = reduction == .none ? expectedTargets : []
    if logits.isMeta || targets.isMeta { return try Tensor(metaShape: outShape) }

    // Each row's target as a weight per class: one-hot for an index, the row itself otherwise.
    let weights = try Tensor(shape: [N, C], scalars: [Float](repeating: 0, count: N * C))
    let w = weights.storage.pointer
    let t = targets.storage.pointer
    if probabilityTargets {
        for i in 0..<(N * C) { w[i] = t[i] }
    } else {
        for i in 0..<N {
            let v = t[i]
            guard let index = v.exactInt, index >= 0, index < C else {
                throw TensorError("crossEntropy: target \(v.exactInt.map(String.init) ?? String(v)) is out of bounds for \(C) classes (expected a class index in 0..<\(C))")
            }
            w[i * C + index] = 1
        }
    }
    // Softmax probabilities are kept for the backward pass.
    let probabilities = try Tensor(uninitializedShape: [N, C])
    let losses = try Tensor(uninitializedShape: [N])
    let x = logits.storage.pointer, p = probabilities.storage.pointer, l = losses.storage.pointer
    for i in 0..<N {
        let row = x + i * C, prow = p + i * C, wrow = w + i * C
        var m = -Float.infinity
        for c in 0..<C { m = Swift.max(m, row[c]) }
        var sum: Float = 0
        for c in 0..<C { let e = Foundation.exp(row[c] - m); prow[c] = e; sum += e }
        let inv = 1 / sum
        for c in 0..<C { prow[c] *= inv }
        let logSumExp = m + Foundation.log(sum)
        var loss: Float = 0
        for c in 0..<C where wrow[c] != 0 { loss += wrow[c] * (logSumExp - row[c]) }
        l[i] = loss
    }
    let result: Tensor
    switch reduction {
    case .none: result = single ? try losses.reshape([]) : losses
    case .sum, .mean:
        var total: Double = 0
        for i in 0..<N { total += Double(l[i]) }
        result = Tensor(Float(reduction == .mean ? total / Double(N) : total))
    }
    return result.tracked("NllLossBackward", inputs: [logits]) { g in
        let grad = try Tensor(uninitializedShape: logits.shape)
        // Reading through `probabilities` and `weights` (not just `p`, `w`) keeps their storage
        // alive in this closure.
        let p = probabilities.storage.pointer, w = weights.storage.pointer
        let gp = g.storage.pointer, d = grad.storage.pointer
        for i in 0..<N {
            let scale = reduction == .none ? gp[i] : (reduction == .mean ? gp[0] / Float(N) : gp[0])
            let prow = p + i * C, drow = d + i * C, wrow = w + i * C
            var mass: Float = 0
            for c in 0..<C { mass += wrow[c] }
            // Written as p·Σt·s − t·s so that index targets give exactly p·s − s, as before.
            for c in 0..<C { drow[c] = prow[c] * mass * scale - wrow[c] * scale }
        }
        return [grad]
    }
}
