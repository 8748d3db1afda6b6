import Foundation

/// Weight initialisation, drawing from `RandomGenerator.global` so that `manualSeed` makes
/// every layer's initial values reproducible.
public enum Initialization {
    /// The number of inputs feeding one output of a weight: `shape[1]` times the kernel area
    /// (PyTorch's `fan_in`).
    public static func fanIn(_ shape: [Int]) -> Int {
        shape.count < 2 ? (shape.first ?? 0) : shape[1] * shape.dropFirst(2).reduce(1, *)
    }

    /// A tensor of `shape` uniform in [−bound, bound).
    public static func uniform(_ shape: [Int], bound: Float) throws -> Tensor {
        let t = try Tensor(uninitializedShape: shape)
        var generator = RandomGenerator.global
        let p = t.storage.pointer
        for i in 0..<t.count { p[i] = -bound + 2 * bound * generator.nextFloat() }
        RandomGenerator.global = generator
        return t
    }

    /// `kaiming_uniform_(w, a=a)` with fan-in mode and the leaky-ReLU gain:
    /// gain = √(2 / (1 + a²)), std = gain / √fan_in, bound = √3 · std.
    public static func kaimingUniform(_ shape: [Int], a: Float = Float(5).squareRoot()) throws -> Tensor {
        // Validated first: the fan-in is a product of the shape's sizes and must not overflow.
        try Tensor.validate(shape: shape, operation: "kaimingUniform")
        let fan = fanIn(shape)
        guard fan > 0 else { return try uniform(shape, bound: 0) }
        let gain = (2 / (1 + a * a)).squareRoot()
        let std = gain / Float(fan).squareRoot()
        return try uniform(shape, bound: Float(3).squareRoot() * std)
    }

    /// PyTorch's default initialisation of `Conv2d` and `Linear`: the weight by
    /// kaiming-uniform with a = √5 (which works out to ±1/√fan_in), then the bias uniform in
    /// ±1/√fan_in. Weight first, bias second, as `reset_parameters` draws them.
    public static func defaultLayerParameters(weightShape: [Int], bias: Bool) throws -> (weight: Tensor, bias: Tensor?) {
        let weight = try kaimingUniform(weightShape)
        guard bias else { return (weight, nil) }
        let fan = fanIn(weightShape)
        let bound: Float = fan > 0 ? 1 / Float(fan).squareRoot() : 0
        return (weight, try uniform([weightShape[0]], bound: bound))
    }
}
