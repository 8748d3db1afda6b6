/// Something that updates parameters from their gradients: `SGD`, `Adam`.
public protocol Optimizer: AnyObject {
    /// Applies one update to every parameter that has a gradient.
    func step() throws
    /// Sets every parameter's gradient to none, like `optimizer.zero_grad()`.
    func zeroGrad()
    /// The step size; a schedule may change it between steps.
    var learningRate: Float { get set }
}

extension Parameter {
    /// Gradient elements for an optimiser, or nil when no gradient was accumulated. Throws if
    /// the gradient no longer matches the parameter (its value was reassigned with a new shape).
    func gradientForUpdate(operation: String) throws -> Tensor? {
        guard let grad, !grad.isMeta else { return nil }
        guard grad.shape == shape else {
            throw TensorError("\(operation): gradient of shape \(shapeDescription(grad.shape)) does not match parameter of shape \(shapeDescription(shape))",
                              suggestion: "call zeroGrad() after changing a parameter's shape")
        }
        return grad
    }
}
