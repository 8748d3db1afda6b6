/// Scales the gradients of `parameters` so that their joint 2-norm is at most `maxNorm`,
/// like `torch.nn.utils.clip_grad_norm_`: the scale is maxNorm / (norm + 1e-6), applied only
/// when below 1. Parameters without a gradient are skipped. Returns the norm before clipping.
@discardableResult
public func clipGradNorm(_ parameters: [Parameter], maxNorm: Float) throws -> Float {
    guard maxNorm >= 0, maxNorm.isFinite else { throw TensorError("clipGradNorm: max_norm must be a finite non-negative number, got \(maxNorm)") }
    let grads = parameters.compactMap(\.grad).filter { !$0.isMeta }
    // Each parameter's norm first, then the norm of those: PyTorch's order of summation.
    var squares: Float = 0
    for g in grads {
        let norm = try (g * g).sum().item().squareRoot()
        squares += norm * norm
    }
    let total = squares.squareRoot()
    let scale = maxNorm / (total + 1e-6)
    if scale < 1 {
        for p in parameters {
            guard let g = p.grad, !g.isMeta else { continue }
            p.grad = try g * Tensor(scale)
        }
    }
    return total
}
