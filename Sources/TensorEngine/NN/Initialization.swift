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

    /// PyTorch's `fan_out`: `shape[0]` times the kernel area.
    public static func fanOut(_ shape: [Int]) -> Int {
        shape.count < 2 ? (shape.first ?? 0) : shape[0] * shape.dropFirst(2).reduce(1, *)
    }

    /// A tensor of `shape` drawn from N(mean, std²).
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1) throws -> Tensor {
        guard std >= 0, std.isFinite, mean.isFinite else { throw TensorError("normal: std must be a finite non-negative number and mean finite, got mean \(mean), std \(std)") }
        return try Tensor.randn(shape) * std + mean
    }

    /// `xavier_uniform_`: uniform in ±gain · √(6 / (fan_in + fan_out)).
    public static func xavierUniform(_ shape: [Int], gain: Float = 1) throws -> Tensor {
        let fans = try checkedFans(shape, "xavierUniform")
        return try uniform(shape, bound: gain * (6 / Float(fans.in + fans.out)).squareRoot())
    }

    /// `xavier_normal_`: N(0, std²) with std = gain · √(2 / (fan_in + fan_out)).
    public static func xavierNormal(_ shape: [Int], gain: Float = 1) throws -> Tensor {
        let fans = try checkedFans(shape, "xavierNormal")
        return try normal(shape, std: gain * (2 / Float(fans.in + fans.out)).squareRoot())
    }

    /// `kaiming_normal_(w, a, mode="fan_in", nonlinearity="leaky_relu")`, whose default
    /// a = 0 is ReLU's gain √2: std = √(2 / (1 + a²)) / √fan.
    public static func kaimingNormal(_ shape: [Int], a: Float = 0, fanOutMode: Bool = false) throws -> Tensor {
        let fans = try checkedFans(shape, "kaimingNormal")
        let gain = (2 / (1 + a * a)).squareRoot()
        return try normal(shape, std: gain / Float(fanOutMode ? fans.out : fans.in).squareRoot())
    }

    private static func checkedFans(_ shape: [Int], _ operation: String) throws -> (in: Int, out: Int) {
        try Tensor.validate(shape: shape, operation: operation)
        guard shape.count >= 2 else {
            throw TensorError("\(operation): fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions, got \(shapeDescription(shape))")
        }
        let fans = (fanIn(shape), fanOut(shape))
        guard fans.0 > 0, fans.1 > 0 else { throw TensorError("\(operation): the tensor of shape \(shapeDescription(shape)) is empty") }
        return fans
    }
}
