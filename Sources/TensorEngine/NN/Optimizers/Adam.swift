import Foundation

/// Adam (`torch.optim.Adam`, without amsgrad), with PyTorch's update:
///
///     g = grad + weightDecay · p
///     m = β₁ m + (1 − β₁) g,   v = β₂ v + (1 − β₂) g²
///     p = p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let betas: (Float, Float)
    public let eps: Float
    public let weightDecay: Float
    var firstMoments: [[Float]?]
    var secondMoments: [[Float]?]
    var steps: [Int]

    public init(parameters: [Parameter], lr: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, weightDecay: Float = 0) throws {
        guard lr >= 0 else { throw TensorError("Adam: invalid learning rate: \(lr)") }
        guard eps >= 0 else { throw TensorError("Adam: invalid epsilon value: \(eps)") }
        guard (0..<1).contains(betas.0) else { throw TensorError("Adam: invalid beta parameter at index 0: \(betas.0)") }
        guard (0..<1).contains(betas.1) else { throw TensorError("Adam: invalid beta parameter at index 1: \(betas.1)") }
        guard weightDecay >= 0 else { throw TensorError("Adam: invalid weight_decay value: \(weightDecay)") }
        self.parameters = parameters
        self.learningRate = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        firstMoments = Array(repeating: nil, count: parameters.count)
        secondMoments = Array(repeating: nil, count: parameters.count)
        steps = Array(repeating: 0, count: parameters.count)
    }

    public func step() throws {
        let (b1, b2) = betas
        let wd = weightDecay, eps = eps
        for (index, parameter) in parameters.enumerated() {
            guard let grad = try parameter.gradientForUpdate(operation: "Adam.step") else { continue }
            let g = grad.storage.pointer
            let n = parameter.count
            steps[index] += 1
            let t = Double(steps[index])
            let stepSize = Float(Double(learningRate) / (1 - Foundation.pow(Double(b1), t)))
            let correction2 = Float((1 - Foundation.pow(Double(b2), t)).squareRoot())
            var m = firstMoments[index] ?? [Float](repeating: 0, count: n)
            var v = secondMoments[index] ?? [Float](repeating: 0, count: n)
            firstMoments[index] = nil
            secondMoments[index] = nil
            try m.withUnsafeMutableBufferPointer { m in
                try v.withUnsafeMutableBufferPointer { v in
                    try parameter.update { p in
                        for i in 0..<n {
                            let d = g[i] + wd * p[i]
                            let mi = b1 * m[i] + (1 - b1) * d
                            let vi = b2 * v[i] + (1 - b2) * d * d
                            m[i] = mi
                            v[i] = vi
                            p[i] -= stepSize * mi / (vi.squareRoot() / correction2 + eps)
                        }
                    }
                }
            }
            firstMoments[index] = m
            secondMoments[index] = v
        }
    }

    public func zeroGrad() {
        for parameter in parameters { parameter.grad = nil }
    }
}
