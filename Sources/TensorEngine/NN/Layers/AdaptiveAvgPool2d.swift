/// Adaptive average pooling to a fixed output size, like `nn.AdaptiveAvgPool2d`;
/// `AdaptiveAvgPool2d(1)` is global average pooling.
public final class AdaptiveAvgPool2d: Module {
    public let outputSize: Size2
    public var isTraining = true

    public init(outputSize: Size2) {
        self.outputSize = outputSize
    }

    public convenience init(_ outputSize: Size2) {
        self.init(outputSize: outputSize)
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try input.adaptiveAvgPool2d(outputSize: outputSize)
    }

    public var typeName: String { "AdaptiveAvgPool2d" }

    public var extraDescription: String { "output_size=\(outputSize)" }
}
