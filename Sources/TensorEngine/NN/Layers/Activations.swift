/// The rectifier max(x, 0) as a layer, like `nn.ReLU`.
public final class ReLU: Module {
    public var isTraining = true
    public init() {}
    public func forward(_ input: Tensor) throws -> Tensor { try input.relu() }
    public var typeName: String { "ReLU" }
}

/// The logistic function 1 / (1 + e⁻ˣ) as a layer, like `nn.Sigmoid`.
public final class Sigmoid: Module {
    public var isTraining = true
    public init() {}
    public func forward(_ input: Tensor) throws -> Tensor { try input.sigmoid() }
    public var typeName: String { "Sigmoid" }
}

/// The hyperbolic tangent as a layer, like `nn.Tanh`.
public final class Tanh: Module {
    public var isTraining = true
    public init() {}
    public func forward(_ input: Tensor) throws -> Tensor { try input.tanh() }
    public var typeName: String { "Tanh" }
}
