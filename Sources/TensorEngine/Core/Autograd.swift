/// One vertex of the autograd graph.
///
/// A leaf node belongs to a tensor created with `requiresGrad`; it accumulates `grad`.
/// An operation node belongs to a result; `backward` maps the gradient of that result to
/// the gradients of its `inputs` (nil where an input needs none).
///
/// Like PyTorch, `backward()` frees an operation node's backward closure (and with it the
/// tensors the closure saved) and its links to its inputs once the gradient has passed
/// through, unless asked to retain the graph: a loss kept after its step (`losses.append(loss)`)
/// then holds a few bytes instead of the step's activations.
final class GradNode {
    private(set) var inputs: [GradNode?]
    let operation: String
    private(set) var backwardFunction: ((Tensor) throws -> [Tensor?])?
    let isLeaf: Bool
    /// Accumulated gradient (leaves, and non-leaves that called `retainGrad`).
    var grad: Tensor?
    var retainsGrad = false
    /// The parameter this leaf belongs to, so that a copy of the parameter's value (a lesson's
    /// `for p in net.parameters`) can still freeze it, as a PyTorch tensor reference can.
    weak var parameter: Parameter?
    /// True once a backward pass has freed this operation's saved values.
    private(set) var isReleased = false

    init(leaf: ()) {
        inputs = []
        operation = "leaf"
        backwardFunction = nil
        isLeaf = true
    }

    init(operation: String, inputs: [GradNode?], backward: @escaping (Tensor) throws -> [Tensor?]) {
        self.operation = operation
        self.inputs = inputs
        self.backwardFunction = backward
        isLeaf = false
    }

    /// Drops the saved values and the links to the inputs (after a backward pass).
    func release() {
        guard !isLeaf else { return }
        backwardFunction = nil
        inputs = []
        isReleased = true
    }
}

/// Whether operations record the autograd graph. `noGrad` turns recording off for a region.
public enum GradMode {
    nonisolated(unsafe) static var disabledDepth = 0
    /// True unless inside `noGrad`.
    public static var isEnabled: Bool { disabledDepth == 0 }
}

/// Runs `body` without recording gradients, like `with torch.no_grad():`.
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    GradMode.disabledDepth += 1
    defer { GradMode.disabledDepth -= 1 }
    return try body()
}

extension Tensor {
    /// Whether gradients flow to this tensor. Setting it on a tensor makes it a leaf whose
    /// `grad` accumulates on `backward()`; setting it to false detaches it.
    public var requiresGrad: Bool {
        get { gradNode != nil }
        set {
            if newValue {
                if gradNode == nil { gradNode = GradNode(leaf: ()) }
            } else {
                gradNode = nil
            }
        }
    }

    /// The tensor with `requiresGrad` set (a new leaf).
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        var t = self
        t.requiresGrad = flag
        return t
    }

    /// The parameter this tensor was read from (a copy of its value, even if the parameter
    /// has been frozen since), or nil.
    public var sourceParameter: Parameter? { gradNode?.isLeaf == true ? gradNode?.parameter : nil }

    /// True when the tensor was not produced by a tracked operation.
    public var isLeaf: Bool { gradNode?.isLeaf ?? true }

    /// The accumulated gradient of a leaf (or of a tensor that called `retainGrad`).
    public var grad: Tensor? {
        get { gradNode?.grad }
        nonmutating set { gradNode?.grad = newValue }
    }

    /// Keeps the gradient of a non-leaf tensor after `backward()`.
    public func retainGrad() { gradNode?.retainsGrad = true }

    /// Sets the gradient to none, like `tensor.grad = None`.
    public func zeroGrad() { gradNode?.grad = nil }

    /// The same values, cut off from the autograd graph.
    public func detach() -> Tensor {
        var t = self
        t.gradNode = nil
        return t
    }

    /// Short name of the operation that produced this tensor (`"leaf"` for leaves), or nil
    /// if it is not tracked.
    public var gradFunctionName: String? { gradNode?.operation }

    /// Attaches an operation node to `result` when grad mode is on and any input is tracked.
    /// Every differentiable op ends with this call; its closure is that op's backward.
    func tracked(_ operation: String, inputs: [Tensor], backward: @escaping (Tensor) throws -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: { $0.gradNode != nil }) else { return self }
        var result = self
        result.gradNode = GradNode(operation: operation, inputs: inputs.map(\.gradNode), backward: backward)
        return result
    }

    /// Computes the gradient of this tensor with respect to every leaf that requires one,
    /// and adds it to their `grad`. Without `gradient` the tensor must hold one element.
    ///
    /// Like PyTorch, the pass frees the values the graph saved for it, so a second
    /// `backward()` through the same operations throws; pass `retainGraph: true` to keep them
    /// for another pass.
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        guard let root = gradNode else {
            throw TensorError("backward: the tensor does not require grad and has no grad_fn",
                              suggestion: "set requiresGrad on the parameters before computing it")
        }
        let seed: Tensor
        if let gradient {
            guard gradient.shape == shape else {
                throw TensorError("backward: gradient of shape \(shapeDescription(gradient.shape)) does not match the tensor's shape \(shapeDescription(shape))")
            }
            seed = gradient.detach()
        } else {
            guard count == 1 else {
                throw TensorError("backward: grad can be implicitly created only for one-element outputs, got shape \(shapeDescription(shape))",
                                  suggestion: "call sum() or mean() first, or pass gradient:")
            }
            seed = try Tensor.ones(shape)
        }
        try noGrad {
            // Reverse topological order: every node is processed after all its consumers.
            var order: [GradNode] = []
            var visited = Set<ObjectIdentifier>()
            var stack: [(GradNode, Bool)] = [(root, false)]
            while let (node, expanded) = stack.popLast() {
                if expanded { order.append(node); continue }
                if !visited.insert(ObjectIdentifier(node)).inserted { continue }
                if node.isReleased {
                    throw TensorError("backward: trying to backward through the graph a second time (or directly access saved tensors after they have already been freed); the saved intermediate values of the graph (here of \(node.operation)) are freed by backward()",
                                      suggestion: "compute the result again, or call backward(retainGraph: true) the first time")
                }
                stack.append((node, true))
                for input in node.inputs { if let input, !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) } }
            }
            var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
            for node in order.reversed() {
                guard let g = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
                if node.isLeaf || node.retainsGrad {
                    node.grad = try node.grad.map { try $0 + g } ?? g
                }
                guard let backward = node.backwardFunction else { continue }
                let inputGrads = try backward(g)
                for (input, grad) in zip(node.inputs, inputGrads) {
                    guard let input, let grad else { continue }
                    let key = ObjectIdentifier(input)
                    if var sum = pending.removeValue(forKey: key) {
                        try sum.addInPlace(grad)
                        pending[key] = sum
                    } else {
                        pending[key] = grad
                    }
                }
            }
            if !retainGraph {
                // Only after every closure has run: one that throws leaves the graph usable.
                for node in order { node.release() }
            }
        }
    }
}
