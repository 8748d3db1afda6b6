/// Stochastic gradient descent with PyTorch's exact update rule (`torch.optim.SGD`):
///
///     g = grad + weightDecay · p
///     b = g on the first step, then momentum · b + (1 − dampening) · g
///     g = nesterov ? g + momentum · b : b          (when momentum ≠ 0)
///     p = p − lr · g
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let momentum: Float
    public let dampening: Float
    public let weightDecay: Float
    public let nesterov: Bool
    /// Momentum buffers, one per parameter, created on the first step that sees its gradient.
    var buffers: [[Float]?]

    public init(parameters: [Parameter], lr: Float = 1e-3, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) throws {
        guard lr >= 0 else { throw TensorError("SGD: invalid learning rate: \(lr)") }
        guard momentum >= 0 else { throw TensorError("SGD: invalid momentum value: \(momentum)") }
        guard weightDecay >= 0 else { throw TensorError("SGD: invalid weight_decay value: \(weightDecay)") }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw TensorError("SGD: Nesterov momentum requires a momentum and zero dampening")
        }
        self.parameters = parameters
        self.learningRate = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        buffers = Array(repeating: nil, count: parameters.count)
    }

    public func step() throws {
        let lr = learningRate, mu = momentum, wd = weightDecay, damp = 1 - dampening, nesterov = nesterov
        for (index, parameter) in parameters.enumerated() {
            guard let grad = try parameter.gradientForUpdate(operation: "SGD.step") else { continue }
            let g = grad.storage.pointer
            let n = parameter.count
            if mu == 0 {
                try parameter.update { p in
                    for i in 0..<n { p[i] -= lr * (g[i] + wd * p[i]) }
                }
                continue
            }
            let first = buffers[index] == nil
            var buffer = buffers[index] ?? [Float](repeating: 0, count: n)
            buffers[index] = nil  // keep the array uniquely referenced while it is written
            try buffer.withUnsafeMutableBufferPointer { b in
                try parameter.update { p in
                    for i in 0..<n {
                        let d = g[i] + wd * p[i]
                        let v = first ? d : mu * b[i] + damp * d
                        b[i] = v
                        p[i] -= lr * (nesterov ? d + mu * v : v)
                    }
                }
            }
            buffers[index] = buffer
        }
    }

    public func zeroGrad() {
        for parameter in parameters { parameter.grad = nil }
    }
}
