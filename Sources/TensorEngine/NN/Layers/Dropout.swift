/// Dropout as a layer, like `nn.Dropout`: active in training mode only.
public final class Dropout: Module {
    public let p: Float
    public var isTraining = true

    public init(p: Float = 0.5) throws {
        guard p >= 0, p <= 1 else {
            throw TensorError("Dropout: dropout probability has to be between 0 and 1, but got \(p)")
        }
        self.p = p
    }

    /// `Dropout(0.5)`, the way PyTorch code writes it.
    public convenience init(_ p: Float) throws {
        try self.init(p: p)
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        try input.dropout(p: p, training: isTraining)
    }

    public var typeName: String { "Dropout" }

    public var extraDescription: String { "p=\(p), inplace=False" }
}
