/// A trainable tensor owned by a module.
///
/// A reference type, so that a module, an optimiser and a lesson all see one parameter.
/// Its value is always a leaf that requires grad. Assigning a new value keeps the
/// parameter's identity and its accumulated gradient, like assigning `param.data` in
/// PyTorch: optimisers and hand-written update loops both rely on that.
///
/// A frozen parameter (`requiresGrad = false`) has a plain tensor as its value: no gradient
/// reaches it, so optimisers leave it alone, as PyTorch's do.
public final class Parameter {
    private var leaf: Tensor

    public init(_ value: Tensor) {
        leaf = value.detach()
        requiresGrad = true
    }

    /// Whether the parameter is trained. Setting it to false freezes it (its gradient is
    /// dropped); setting it back to true makes it a fresh leaf again.
    public var requiresGrad: Bool {
        get { leaf.gradNode != nil }
        set {
            guard newValue != requiresGrad else { return }
            if newValue {
                let node = GradNode(leaf: ())
                node.parameter = self
                leaf.gradNode = node
            } else {
                leaf.gradNode = nil
            }
        }
    }

    /// The current value (a leaf tensor with `requiresGrad` unless frozen).
    public var value: Tensor {
        get { leaf }
        set {
            // A value that requires grad unfreezes a frozen parameter (like assigning a new
            // `nn.Parameter`); any other value keeps the parameter's state.
            let unfreeze = newValue.requiresGrad && !requiresGrad
            let node = leaf.gradNode
            leaf = newValue.detach()
            leaf.gradNode = node
            if unfreeze { requiresGrad = true }
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
