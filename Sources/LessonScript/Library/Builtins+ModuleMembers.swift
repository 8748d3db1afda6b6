import TensorEngine

/// A module's parameters as one value: what `net.parameters` gives. Optimisers take it
/// (`SGD(net.parameters, lr: 0.01)`), `count` is the number of parameter tensors, and a
/// `for` loop or `map` sees each parameter's current value as a tensor.
public final class ParameterList: IterableNativeObject {
    public let parameters: [Parameter]
    public init(_ parameters: [Parameter]) { self.parameters = parameters }
    public var typeName: String { "Parameters" }
    /// `Parameters(10 tensors, 61,706 values)`.
    public var displayDescription: String {
        let values = parameters.reduce(0) { $0 + $1.count }
        return "Parameters(\(parameters.count) tensor\(parameters.count == 1 ? "" : "s"), \(groupedThousands(values)) values)"
    }
    public func makeIterator(context: CallContext) throws -> () throws -> Value? {
        var index = 0
        let parameters = self.parameters
        return {
            guard index < parameters.count else { return nil }
            defer { index += 1 }
            return .tensor(parameters[index].value)
        }
    }
}

extension BuiltinLibrary {
    /// Members of every module, built-in or defined in a cell (`parameters`, `namedParameters`,
    /// `parameterCount`, `children`, `isTraining`, `train()`, `eval()`, `zeroGrad()`,
    /// `forward(x)`), parameters by name (`conv.weight`, `conv.bias`, assignable), the state of
    /// batch normalisation (`runningMean`, `runningVar`), each layer's configuration
    /// (`conv.kernelSize`, `fc.outFeatures`, ...), and `Sequential`'s `count`, `append` and
    /// subscript (registered as the method `subscript`, which the evaluator calls for `net[i]`).
    static func registerModuleMembers(_ library: BuiltinLibrary) {
        func moduleProperty(_ name: String, typeName: String = "*", _ get: @escaping (any Module) throws -> Value) {
            library.defineProperty(.module, name, typeName: typeName, get: { receiver in
                guard case .module(let m) = receiver else { throw Lib.noMember(name, receiver) }
                return try get(m)
            })
        }
        func moduleMethod(_ name: String, typeName: String = "*", _ body: @escaping (any Module, [Argument], CallContext) throws -> Value) {
            library.defineMethod(.module, name, typeName: typeName) { receiver, arguments, context in
                guard case .module(let m) = receiver else { throw Lib.noMember(name, receiver) }
                return try body(m, arguments, context)
            }
        }

        moduleProperty("parameters") { .native(ParameterList($0.parameters)) }
        moduleProperty("namedParameters") { m in
            .array(m.namedParameters.map { .tuple([.string($0.name), .tensor($0.parameter.value)], labels: ["name", "parameter"]) })
        }
        moduleProperty("parameterCount") { .int($0.parameterCount) }
        moduleProperty("buffers") { .array($0.namedBuffers.map { .tensor($0.tensor) }) }
        moduleProperty("namedBuffers") { m in
            .array(m.namedBuffers.map { .tuple([.string($0.name), .tensor($0.tensor)], labels: ["name", "buffer"]) })
        }
        moduleMethod("registerBuffer") { m, arguments, _ in
            let args = try ArgumentList(arguments, function: "registerBuffer", maxPositional: 2)
            guard case .string(let name)? = args[0], case .tensor(let t)? = args[1] else {
                throw ScriptRuntimeError("registerBuffer: expected a name and a Tensor, as in registerBuffer(\"runningMean\", zeros([3]))")
            }
            guard let script = m as? ScriptModule, let i = script.fieldNames.firstIndex(of: name) else {
                throw ScriptRuntimeError("registerBuffer: \(m.typeName) has no stored property '\(name)'",
                                         suggestion: "declare it in the class (var \(name): Tensor), or write var \(name) = Buffer(t)")
            }
            script.markBuffer(i)
            try script.setField(i, .tensor(t.detach()))
            return .void
        }
        moduleProperty("children") { m in
            .array(m.children.map { .tuple([.string($0.name), .module($0.module)], labels: ["name", "module"]) })
        }
        moduleProperty("typeName") { .string($0.typeName) }
        library.defineProperty(.module, "isTraining", get: { receiver in
            guard case .module(let m) = receiver else { throw Lib.noMember("isTraining", receiver) }
            return .bool(m.isTraining)
        }, set: { receiver, newValue in
            guard case .module(let m) = receiver else { throw Lib.noMember("isTraining", receiver) }
            guard case .bool(let flag) = newValue else { throw ScriptRuntimeError("isTraining must be a Bool, got \(Lib.typeName(newValue))") }
            m.isTraining = flag
        })

        moduleMethod("train") { m, arguments, _ in
            let args = try ArgumentList(arguments, function: "train", maxPositional: 1)
            m.train(try args[0].map { try args.toBool($0, "mode") } ?? true)
            return .void
        }
        moduleMethod("eval") { m, arguments, _ in
            _ = try ArgumentList(arguments, function: "eval", maxPositional: 0)
            m.eval()
            return .void
        }
        moduleMethod("zeroGrad") { m, arguments, _ in
            _ = try ArgumentList(arguments, function: "zeroGrad", maxPositional: 0)
            m.zeroGrad()
            return .void
        }
        moduleMethod("forward") { m, arguments, _ in
            guard case .tensor(let x) = try Lib.single(arguments, "forward") else {
                throw ScriptRuntimeError("forward: expected a Tensor")
            }
            return .tensor(try m(x))
        }

        registerParameterProperties(library)
        registerLayerConfiguration(library, moduleProperty)
        registerSequentialMembers(library, moduleMethod)
    }

    /// `conv.weight`, `conv.bias`, `bn.runningMean`, ...: read the current value, and on
    /// assignment update the parameter in place (its identity and gradient are kept, so an
    /// optimiser created earlier still updates it).
    private static func registerParameterProperties(_ library: BuiltinLibrary) {
        for name in ["weight", "bias"] {
            library.defineProperty(.module, name, get: { receiver in
                guard case .module(let m) = receiver else { throw Lib.noMember(name, receiver) }
                if let p = m.ownParameters.first(where: { $0.name == name }) { return .tensor(p.parameter.value) }
                if Lib.hasOptionalParameter(m, name) { return .nil }
                throw ScriptRuntimeError("\(m.typeName) has no parameter '\(name)'")
            }, set: { receiver, newValue in
                guard case .module(let m) = receiver else { throw Lib.noMember(name, receiver) }
                try Lib.setParameter(m, name, newValue)
            })
        }

        for name in ["runningMean", "runningVar"] {
            for typeName in ["BatchNorm1d", "BatchNorm2d"] {
                library.defineProperty(.module, name, typeName: typeName, get: { receiver in
                    guard case .module(let m) = receiver else { throw Lib.noMember(name, receiver) }
                    let value: Tensor?
                    guard let bn = m as? BatchNorm else { throw Lib.noMember(name, receiver) }
                    value = name == "runningMean" ? bn.runningMean : bn.runningVar
                    return value.map(Value.tensor) ?? .nil
                }, set: { receiver, newValue in
                    guard case .module(let m) = receiver else { throw Lib.noMember(name, receiver) }
                    var tensor: Tensor?
                    switch newValue {
                    case .nil: tensor = nil
                    case .tensor(let t):
                        guard t.shape == [Lib.numFeatures(m)] else {
                            throw ScriptRuntimeError("\(name): expected a tensor of shape [\(Lib.numFeatures(m))], got \(shapeDescription(t.shape))")
                        }
                        tensor = t.detach()
                    default: throw ScriptRuntimeError("\(name) must be a Tensor, got \(Lib.typeName(newValue))")
                    }
                    guard let bn = m as? BatchNorm else { throw Lib.noMember(name, receiver) }
                    if name == "runningMean" { bn.runningMean = tensor } else { bn.runningVar = tensor }
                })
            }
        }
    }

    private static func registerLayerConfiguration(_ library: BuiltinLibrary,
                                                   _ property: (String, String, @escaping (any Module) throws -> Value) -> Void) {
        func config<M>(_ type: M.Type, _ typeName: String, _ name: String, _ get: @escaping (M) -> Value) {
            property(name, typeName) { m in
                guard let layer = m as? M else { throw ScriptRuntimeError("\(m.typeName) has no member '\(name)'") }
                return get(layer)
            }
        }
        config(Conv2d.self, "Conv2d", "inChannels") { .int($0.inChannels) }
        config(Conv2d.self, "Conv2d", "outChannels") { .int($0.outChannels) }
        config(Conv2d.self, "Conv2d", "kernelSize") { Lib.sizeValue($0.kernelSize, alwaysPair: true) }
        config(Conv2d.self, "Conv2d", "stride") { Lib.sizeValue($0.stride, alwaysPair: true) }
        config(Conv2d.self, "Conv2d", "padding") { Lib.sizeValue($0.padding, alwaysPair: true) }
        config(Conv2d.self, "Conv2d", "dilation") { Lib.sizeValue($0.dilation, alwaysPair: true) }
        config(Conv2d.self, "Conv2d", "groups") { .int($0.groups) }
        config(Linear.self, "Linear", "inFeatures") { .int($0.inFeatures) }
        config(Linear.self, "Linear", "outFeatures") { .int($0.outFeatures) }
        config(MaxPool2d.self, "MaxPool2d", "kernelSize") { Lib.sizeValue($0.kernelSize) }
        config(MaxPool2d.self, "MaxPool2d", "stride") { Lib.sizeValue($0.stride) }
        config(MaxPool2d.self, "MaxPool2d", "padding") { Lib.sizeValue($0.padding) }
        config(AvgPool2d.self, "AvgPool2d", "kernelSize") { Lib.sizeValue($0.kernelSize) }
        config(AvgPool2d.self, "AvgPool2d", "stride") { Lib.sizeValue($0.stride) }
        config(AvgPool2d.self, "AvgPool2d", "padding") { Lib.sizeValue($0.padding) }
        config(AdaptiveAvgPool2d.self, "AdaptiveAvgPool2d", "outputSize") { Lib.sizeValue($0.outputSize) }
        config(Dropout.self, "Dropout", "p") { .double(Double($0.p)) }
        for typeName in ["BatchNorm1d", "BatchNorm2d"] {
            config(BatchNorm.self, typeName, "numFeatures") { .int($0.numFeatures) }
            config(BatchNorm.self, typeName, "numBatchesTracked") { .int($0.numBatchesTracked) }
        }
        config(Sequential.self, "Sequential", "count") { .int($0.count) }
        config(Sequential.self, "Sequential", "layers") { .array($0.layers.map(Value.module)) }
    }

    private static func registerSequentialMembers(_ library: BuiltinLibrary,
                                                  _ method: (String, String, @escaping (any Module, [Argument], CallContext) throws -> Value) -> Void) {
        method("subscript", "Sequential") { m, arguments, _ in
            guard let net = m as? Sequential else { throw ScriptRuntimeError("\(m.typeName) cannot be subscripted") }
            switch try Lib.single(arguments, "Sequential subscript") {
            case .int(let i): return .module(try net.layer(at: i))
            case .range(let lower, let upper, let closed):
                let n = net.count
                let lo = lower ?? 0, hi = upper.map { closed && $0 < Int.max ? $0 + 1 : $0 } ?? n
                guard lo >= 0, hi <= n, lo <= hi else { throw ScriptRuntimeError("Sequential: range \(lo)..<\(hi) is out of bounds for \(n) layers") }
                return .module(Sequential(Array(net.layers[lo..<hi])))
            case let v:
                throw ScriptRuntimeError("Sequential: the index must be an Int or a range, got \(Lib.typeName(v))")
            }
        }
        method("append", "Sequential") { m, arguments, _ in
            guard let net = m as? Sequential else { throw Lib.noMember("append", .module(m)) }
            guard case .module(let layer) = try Lib.single(arguments, "append") else {
                throw ScriptRuntimeError("append: expected a module")
            }
            net.append(layer)
            return .void
        }
    }
}

extension Lib {
    /// Layers that can lack a parameter (`bias: false`, `affine: false`): reading it gives nil.
    static func hasOptionalParameter(_ m: any Module, _ name: String) -> Bool {
        switch m {
        case is Conv2d, is Linear: return name == "bias"
        case is BatchNorm: return true
        default: return false
        }
    }

    static func numFeatures(_ m: any Module) -> Int {
        (m as? BatchNorm)?.numFeatures ?? 0
    }

    /// `layer.weight = t`: assigns through the layer's own setter when it has one (so that
    /// `conv.bias = t` on a layer made without bias adds one), otherwise to the parameter.
    static func setParameter(_ m: any Module, _ name: String, _ newValue: Value) throws {
        var tensor: Tensor?
        switch newValue {
        case .tensor(let t):
            guard t.dtype == .float32 else {
                throw ScriptRuntimeError("\(m.typeName).\(name): a parameter must be a floating point tensor, got \(t.dtype.rawValue)",
                                         suggestion: "convert it with .float()")
            }
            tensor = t
        case .nil: tensor = nil
        default: throw ScriptRuntimeError("\(m.typeName).\(name) must be a Tensor, got \(typeName(newValue))")
        }
        if let current = m.ownParameters.first(where: { $0.name == name })?.parameter, let tensor, current.shape != tensor.shape {
            throw ScriptRuntimeError("\(m.typeName).\(name): expected a tensor of shape \(shapeDescription(current.shape)), got \(shapeDescription(tensor.shape))")
        }
        switch (m, name) {
        case (let conv as Conv2d, "weight"):
            guard let tensor else { throw ScriptRuntimeError("Conv2d.weight cannot be nil") }
            conv.weight = tensor
        case (let conv as Conv2d, "bias"): conv.bias = tensor
        case (let fc as Linear, "weight"):
            guard let tensor else { throw ScriptRuntimeError("Linear.weight cannot be nil") }
            fc.weight = tensor
        case (let fc as Linear, "bias"): fc.bias = tensor
        default:
            guard let parameter = m.ownParameters.first(where: { $0.name == name })?.parameter else {
                throw ScriptRuntimeError("\(m.typeName) has no parameter '\(name)'")
            }
            guard let tensor else { throw ScriptRuntimeError("\(m.typeName).\(name) cannot be set to nil") }
            parameter.value = tensor
        }
    }
}
