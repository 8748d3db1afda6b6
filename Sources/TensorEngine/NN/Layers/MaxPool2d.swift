/// 2-D max pooling, like `nn.MaxPool2d` (stride defaults to the kernel size).
public final class MaxPool2d: Module {
    public let kernelSize: Size2
    public let stride: Size2
    public let padding: Size2
    public let dilation: Size2
    public let ceilMode: Bool
    public var isTraining = true

    public init(kernelSize: Size2, stride: Size2? = nil, padding: Size2 = 0, dilation: Size2 = 1, ceilMode: Bool = false) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
    }

    /// `MaxPool2d(2)`, the way PyTorch code writes it.
    public convenience init(_ kernelSize: Size2, stride: Size2? = nil, padding: Size2 = 0, dilation: Size2 = 1, ceilMode: Bool = false) {
        self.init(kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try input.maxPool2d(kernel: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    public var typeName: String { "MaxPool2d" }

    public var extraDescription: String {
        "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), dilation=\(dilation), ceil_mode=\(ceilMode ? "True" : "False")"
    }
}
