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

/// Cross-entropy between `logits` [N, C] (unnormalised scores) and `targets` [N] (class indices
/// 0..<C), averaged over the batch by default, like `F.cross_entropy`. Computed through a fused,
/// numerically stable log-softmax (the maximum is subtracted before exponentiating); the
/// gradient to the logits is softmax − one-hot. A single sample may be given as logits [C]
/// with a scalar target.
public func crossEntropy(_ logits: Tensor, _ targets: Tensor, reduction: LossReduction = .mean) throws -> Tensor {
    let single = logits.rank == 1
    guard logits.rank == 2 || single else {
        throw TensorError("crossEntropy: expected logits of shape [N, C] (or [C]), got \(shapeDescription(logits.shape))")
    }
    let N = single ? 1 : logits.shape[0], C = logits.shape[logits.rank - 1]
    let expectedTargets = single ? [] : [N]
    guard targets.shape == expectedTargets else {
        throw TensorError("crossEntropy: expected targets of shape \(shapeDescription(expectedTargets)) (class indices) for logits \(shapeDescription(logits.shape)), got \(shapeDescription(targets.shape))",
                          suggestion: targets.shape == logits.shape ? "targets are class indices, not one-hot or probabilities" : nil)
    }
    guard C > 0 else { throw TensorError("crossEntropy: logits \(shapeDescription(logits.shape)) have no classes") }
    let outShape: [Int] = reduction == .none ? expectedTargets : []
    if logits.isMeta || targets.isMeta { return try Tensor(metaShape: outShape) }

    var classes = [Int](repeating: 0, count: N)
    let t = targets.storage.pointer
    for i in 0..<N {
        let v = t[i]
        guard let index = v.exactInt, index >= 0, index < C else {
            throw TensorError("crossEntropy: target \(v.exactInt.map(String.init) ?? String(v)) is out of bounds for \(C) classes (expected a class index in 0..<\(C))")
        }
        classes[i] = index
    }
    // Softmax probabilities are kept for the backward pass.
    let probabilities = try Tensor(uninitializedShape: [N, C])
    let losses = try Tensor(uninitializedShape: outShape == [] ? [N] : outShape)
    let x = logits.storage.pointer, p = probabilities.storage.pointer, l = losses.storage.pointer
    for i in 0..<N {
        let row = x + i * C, prow = p + i * C
        var m = -Float.infinity
        for c in 0..<C { m = Swift.max(m, row[c]) }
        var sum: Float = 0
        for c in 0..<C { let e = Foundation.exp(row[c] - m); prow[c] = e; sum += e }
        let inv = 1 / sum
        for c in 0..<C { prow[c] *= inv }
        l[i] = (m + Foundation.log(sum)) - row[classes[i]]
    }
    let result: Tensor
    switch reduction {
    case .none: result = losses
    case .sum, .mean:
        var total: Double = 0
        for i in 0..<N { total += Double(l[i]) }
        result = Tensor(Float(reduction == .mean ? total / Double(N) : total))
    }
    return result.tracked("NllLossBackward", inputs: [logits]) { g in
        let grad = try Tensor(uninitializedShape: logits.shape)
        // Reading through `probabilities` (not just `p`) keeps its storage alive in this closure.
        let p = probabilities.storage.pointer
        let gp = g.storage.pointer, d = grad.storage.pointer
        for i in 0..<N {
            let weight = reduction == .none ? gp[i] : (reduction == .mean ? gp[0] / Float(N) : gp[0])
            let prow = p + i * C, drow = d + i * C
            for c in 0..<C { drow[c] = prow[c] * weight }
            drow[classes[i]] -= weight
        }
        return [grad]
    }
}
