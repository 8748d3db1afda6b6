/// 2-D average pooling, like `nn.AvgPool2d` (stride defaults to the kernel size; zero padding
/// counts in the divisor unless `countIncludePad` is false).
public final class AvgPool2d: Module {
    public let kernelSize: Size2
    public let stride: Size2
    public let padding: Size2
    public let ceilMode: Bool
    public let countIncludePad: Bool
    public var isTraining = true

    public init(kernelSize: Size2, stride: Size2? = nil, padding: Size2 = 0, ceilMode: Bool = false, countIncludePad: Bool = true) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
    }

    /// `AvgPool2d(2)`, the way PyTorch code writes it.
    public convenience init(_ kernelSize: Size2, stride: Size2? = nil, padding: Size2 = 0, ceilMode: Bool = false, countIncludePad: Bool = true) {
        self.init(kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad)
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try input.avgPool2d(kernel: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad)
    }

    public var typeName: String { "AvgPool2d" }

    public var extraDescription: String { "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding)" }

    /// One addition per window element and output element.
    public func multiplyAccumulates(input: [Int], output: [Int]) -> Int { 0 }
}
