/// A chain of modules applied in order, like `nn.Sequential`; children are named "0", "1", ….
public final class Sequential: Module {
    public private(set) var layers: [any Module]
    public var isTraining = true

    public init(_ layers: [any Module]) {
        self.layers = layers
    }

    public convenience init(_ layers: any Module...) {
        self.init(layers)
    }

    /// Adds a module at the end, like `nn.Sequential.append`.
    public func append(_ module: any Module) {
        layers.append(module)
    }

    /// The `index`th layer (negative counts from the end), or an error naming the range.
    public func layer(at index: Int) throws -> any Module {
        let i = index < 0 ? index + layers.count : index
        guard layers.indices.contains(i) else {
            throw TensorError("Sequential: index \(index) is out of range for \(layers.count) layers")
        }
        return layers[i]
    }

    /// Replaces the `index`th layer (negative counts from the end), like `net[1] = nn.ReLU()`.
    public func setLayer(_ module: any Module, at index: Int) throws {
        let i = index < 0 ? index + layers.count : index
        guard layers.indices.contains(i) else {
            throw TensorError("Sequential: index \(index) is out of range for \(layers.count) layers")
        }
        layers[i] = module
    }

    public var count: Int { layers.count }

    public func forward(_ input: Tensor) throws -> Tensor {
        var x = input
        for layer in layers { x = try layer(x) }
        return x
    }

    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }

    public var typeName: String { "Sequential" }
}
