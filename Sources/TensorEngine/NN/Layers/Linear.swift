/// A fully connected layer, like `nn.Linear`: y = x·Wᵀ + b with weight [out, in], initialised
/// as PyTorch does (kaiming-uniform, a = √5; bias uniform ±1/√in).
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int
    var affine: AffineParameters
    public var isTraining = true

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        guard inFeatures >= 0, outFeatures >= 0 else {
            throw TensorError("Linear: feature counts must not be negative, got in_features=\(inFeatures), out_features=\(outFeatures)")
        }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        affine = try AffineParameters(weightShape: [outFeatures, inFeatures], bias: bias)
    }

    /// The weight [out, in]. Assigning keeps the parameter (and its gradient).
    public var weight: Tensor {
        get { affine.weight }
        set { affine.weight = newValue }
    }

    /// The bias [out], or nil for a layer made with `bias: false`.
    public var bias: Tensor? {
        get { affine.bias }
        set { affine.bias = newValue }
    }

    public var weightParameter: Parameter { affine.weightParameter }
    public var biasParameter: Parameter? { affine.biasParameter }

    public func forward(_ input: Tensor) throws -> Tensor {
        try linear(input, weight: weight, bias: bias)
    }

    public var ownParameters: [(name: String, parameter: Parameter)] { affine.ownParameters }

    public var typeName: String { "Linear" }

    public var extraDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(biasParameter == nil ? "False" : "True")"
    }

    public func multiplyAccumulates(input: [Int], output: [Int]) -> Int {
        (output + [inFeatures]).reduce(1) { $0.saturatingMultiplied(by: $1) }
    }
}
