/// A 2-D convolution layer, like `nn.Conv2d`: weight [out, in / groups, kH, kW] and optional
/// bias [out], initialised as PyTorch does (kaiming-uniform, a = √5).
public final class Conv2d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Size2
    public let stride: Size2
    public let padding: Size2
    public let dilation: Size2
    public let groups: Int
    var affine: AffineParameters
    public var isTraining = true

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Size2, stride: Size2 = 1, padding: Size2 = 0,
                dilation: Size2 = 1, groups: Int = 1, bias: Bool = true) throws {
        guard inChannels > 0, outChannels > 0, kernelSize.h > 0, kernelSize.w > 0 else {
            throw TensorError("Conv2d: channels and kernel size must be positive, got in_channels=\(inChannels), out_channels=\(outChannels), kernel_size=\(kernelSize.pairDescription)")
        }
        guard groups > 0, inChannels % groups == 0, outChannels % groups == 0 else {
            throw TensorError("Conv2d: in_channels (\(inChannels)) and out_channels (\(outChannels)) must be divisible by groups (\(groups))")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        affine = try AffineParameters(weightShape: [outChannels, inChannels / groups, kernelSize.h, kernelSize.w], bias: bias)
    }

    /// The kernel [out, in / groups, kH, kW]. Assigning keeps the parameter (and its gradient).
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
        try conv2d(input, weight: weight, bias: bias, stride: stride.pair, padding: padding.pair,
                   dilation: dilation.pair, groups: groups)
    }

    public var ownParameters: [(name: String, parameter: Parameter)] { affine.ownParameters }

    public var typeName: String { "Conv2d" }

    public var extraDescription: String {
        var s = "\(inChannels), \(outChannels), kernel_size=\(kernelSize.pairDescription), stride=\(stride.pairDescription)"
        if padding != Size2(0) { s += ", padding=\(padding.pairDescription)" }
        if dilation != Size2(1) { s += ", dilation=\(dilation.pairDescription)" }
        if groups != 1 { s += ", groups=\(groups)" }
        if biasParameter == nil { s += ", bias=False" }
        return s
    }

    /// One multiply–accumulate per kernel tap and input channel of the group, per output element.
    public func multiplyAccumulates(input: [Int], output: [Int]) -> Int {
        (output + [inChannels / groups, kernelSize.h, kernelSize.w]).reduce(1) { $0.saturatingMultiplied(by: $1) }
    }
}
