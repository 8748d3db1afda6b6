/// A trainable tensor owned by a module.
///
/// A reference type, so that a module, an optimiser and a lesson all see one parameter.
/// Its value is always a leaf that requires grad. Assigning a new value keeps the
/// parameter's identity and its accumulated gradient, like assigning `param.data` in
/// PyTorch: optimisers and hand-written update loops both rely on that.
public final class Parameter {
    private var leaf: Tensor

    public init(_ value: Tensor) {
        leaf = value.detach().requiringGrad()
    }

    /// The current value (a leaf tensor with `requiresGrad`).
    public var value: Tensor {
        get { leaf }
        set {
            let node = leaf.gradNode
            leaf = newValue.detach()
            leaf.gradNode = node
        }
    }

    /// The gradient accumulated by `backward()`, or nil.
    public var grad: Tensor? {
        get { leaf.grad }
        set { leaf.grad = newValue }
    }

    public var shape: [Int] { leaf.shape }
    public var count: Int { leaf.count }

    /// Updates the value in place (optimisers), keeping the leaf and its gradient.
    public func update(_ body: (UnsafeMutableBufferPointer<Float>) throws -> Void) throws {
        try leaf.withUnsafeMutableBufferPointer(body)
    }
}
