import TensorEngine

extension BuiltinLibrary {
    /// The layer constructors, with PyTorch's argument order and Swift labels:
    /// `Conv2d(1, 6, kernelSize: 5, padding: 2)`, `Linear(400, 120)`, `MaxPool2d(3, stride: 2)`,
    /// `AvgPool2d(2)`, `AdaptiveAvgPool2d((1, 1))`, `ReLU()`, `Sigmoid()`, `Tanh()`, `Flatten()`,
    /// `Dropout(0.5)`, `BatchNorm1d(120)`, `BatchNorm2d(6)`, `Sequential(a, b, c)`.
    /// Every size is an Int or an `(h, w)` tuple.
    static func registerLayers(_ library: BuiltinLibrary) {
        library.defineFunction("Buffer") { arguments, _ in
            guard case .tensor(let t) = try Lib.single(arguments, "Buffer") else {
                throw ScriptRuntimeError("Buffer: expected a Tensor, as in var runningMean = Buffer(zeros([3]))")
            }
            return .native(BufferValue(t))
        }
        library.defineFunction("Conv2d") { arguments, _ in
            // PyTorch's order: `Conv2d(1, 96, 11, 4, 1)` is in, out, kernel, stride, padding, dilation.
            let args = try ArgumentList(arguments, function: "Conv2d",
                                        labels: ["inChannels", "outChannels", "kernelSize", "stride", "padding", "dilation", "groups", "bias"],
                                        maxPositional: 6)
            let layer = try Conv2d(try args.toInt(try args.required(0, "inChannels"), "inChannels"),
                                   try args.toInt(try args.required(1, "outChannels"), "outChannels"),
                                   kernelSize: try args.toSize2(try args.required(2, "kernelSize"), "kernelSize"),
                                   stride: try args.size2(3, "stride", default: 1), padding: try args.size2(4, "padding", default: 0),
                                   dilation: try args.size2(5, "dilation", default: 1), groups: try args.int("groups", default: 1),
                                   bias: try args.bool("bias", default: true))
            return .module(layer)
        }

        library.defineFunction("Linear") { arguments, _ in
            let args = try ArgumentList(arguments, function: "Linear", labels: ["bias"], maxPositional: 2)
            let inFeatures = try args.int(0, "inFeatures"), outFeatures = try args.int(1, "outFeatures")
            guard inFeatures > 0, outFeatures > 0 else {
                throw ScriptRuntimeError("Linear: in and out features must be positive, got \(inFeatures) and \(outFeatures)")
            }
            return .module(try Linear(inFeatures, outFeatures, bias: try args.bool("bias", default: true)))
        }

        library.defineFunction("MaxPool2d") { arguments, _ in
            // PyTorch's order: `MaxPool2d(3, 2)` is kernel, stride, padding, dilation.
            let args = try ArgumentList(arguments, function: "MaxPool2d",
                                        labels: ["kernelSize", "stride", "padding", "dilation", "ceilMode"], maxPositional: 4)
            let kernel = try args.toSize2(try args.required(0, "kernelSize"), "kernelSize")
            try Lib.checkPositive(kernel, "MaxPool2d", "kernelSize")
            let stride = try args.either(1, "stride").map { try args.toSize2($0, "stride") }
            if let stride { try Lib.checkPositive(stride, "MaxPool2d", "stride") }
            return .module(MaxPool2d(kernelSize: kernel, stride: stride, padding: try args.size2(2, "padding", default: 0),
                                     dilation: try args.size2(3, "dilation", default: 1), ceilMode: try args.bool("ceilMode", default: false)))
        }

        library.defineFunction("AvgPool2d") { arguments, _ in
            // PyTorch's order: `AvgPool2d(3, 2, 1)` is kernel, stride, padding.
            let args = try ArgumentList(arguments, function: "AvgPool2d",
                                        labels: ["kernelSize", "stride", "padding", "ceilMode", "countIncludePad"], maxPositional: 3)
            let kernel = try args.toSize2(try args.required(0, "kernelSize"), "kernelSize")
            try Lib.checkPositive(kernel, "AvgPool2d", "kernelSize")
            let stride = try args.either(1, "stride").map { try args.toSize2($0, "stride") }
            if let stride { try Lib.checkPositive(stride, "AvgPool2d", "stride") }
            return .module(AvgPool2d(kernelSize: kernel, stride: stride, padding: try args.size2(2, "padding", default: 0),
                                     ceilMode: try args.bool("ceilMode", default: false),
                                     countIncludePad: try args.bool("countIncludePad", default: true)))
        }

        library.defineFunction("AdaptiveAvgPool2d") { arguments, _ in
            let args = try ArgumentList(arguments, function: "AdaptiveAvgPool2d", labels: ["outputSize"], maxPositional: 1)
            let size = try args[0].map { try args.toSize2($0, "outputSize") } ?? (try args.toSize2(try args.value("outputSize"), "outputSize"))
            try Lib.checkPositive(size, "AdaptiveAvgPool2d", "outputSize")
            return .module(AdaptiveAvgPool2d(outputSize: size))
        }

        for (name, make) in [("ReLU", { ReLU() as any Module }), ("Sigmoid", { Sigmoid() }), ("Tanh", { Tanh() })] {
            library.defineFunction(name) { arguments, _ in
                _ = try ArgumentList(arguments, function: name, maxPositional: 0)
                return .module(make())
            }
        }

        library.defineFunction("Flatten") { arguments, _ in
            let args = try ArgumentList(arguments, function: "Flatten", labels: ["startDim", "endDim"], maxPositional: 0)
            return .module(Flatten(startDim: try args.int("startDim", default: 1), endDim: try args.int("endDim", default: -1)))
        }

        library.defineFunction("Dropout") { arguments, _ in
            let args = try ArgumentList(arguments, function: "Dropout", labels: ["p"], maxPositional: 1)
            let p = try args[0].map { try args.toDouble($0, "p") } ?? (try args.double("p", default: 0.5))
            return .module(try Dropout(p: Float(p)))
        }

        for name in ["BatchNorm1d", "BatchNorm2d"] {
            library.defineFunction(name) { arguments, _ in
                let args = try ArgumentList(arguments, function: name,
                                            labels: ["eps", "momentum", "affine", "trackRunningStats"], maxPositional: 1)
                let n = try args.int(0, "numFeatures")
                let eps = Float(try args.double("eps", default: 1e-5))
                // `momentum: nil` means a cumulative average, as in PyTorch.
                var momentum: Float? = 0.1
                if let m = args["momentum"] {
                    if case .nil = m { momentum = nil } else { momentum = Float(try args.toDouble(m, "momentum")) }
                }
                let affine = try args.bool("affine", default: true), track = try args.bool("trackRunningStats", default: true)
                if name == "BatchNorm1d" {
                    return .module(try BatchNorm1d(n, eps: eps, momentum: momentum, affine: affine, trackRunningStats: track))
                }
                return .module(try BatchNorm2d(n, eps: eps, momentum: momentum, affine: affine, trackRunningStats: track))
            }
        }

        library.defineFunction("Sequential") { arguments, context in
            let args = try ArgumentList(arguments, function: "Sequential")
            var values = args.positional
            if values.count == 1, case .array(let items) = values[0] { values = items }
            var layers: [any Module] = []
            layers.reserveCapacity(values.count)
            for (i, v) in values.enumerated() {
                // A closure is a layer too (d2l's `Lambda`): `Sequential(Linear(2, 2), { relu($0) })`.
                if case .function = v {
                    layers.append(ClosureLayer(v, context: context))
                    continue
                }
                guard case .module(let m) = v else {
                    throw ScriptRuntimeError("Sequential: argument \(i) is \(Lib.typeName(v)), not a module",
                                             suggestion: "pass layers such as Conv2d(...) or instances of a Module class")
                }
                layers.append(m)
            }
            return .module(Sequential(layers))
        }
    }
}

extension Lib {
    static func checkPositive(_ size: Size2, _ function: String, _ name: String) throws {
        guard size.h > 0, size.w > 0 else {
            throw ScriptRuntimeError("\(function): \(name) must be positive, got \(size)")
        }
    }

    /// A size as the language shows it: `2` for one Int, `(2, 4)` for a pair.
    static func sizeValue(_ size: Size2, alwaysPair: Bool = false) -> Value {
        if size.isScalar && !alwaysPair { return .int(size.h) }
        return .tuple([.int(size.h), .int(size.w)], labels: [nil, nil])
    }
}

extension ArgumentList {
    /// An argument PyTorch lets one pass by position or by name: the unlabelled argument
    /// `index` or the labelled one `label` (not both), or nil.
    func either(_ index: Int, _ label: String) throws -> Value? {
        switch (self[index], self[label]) {
        case (let v?, nil), (nil, let v?): return v
        case (_?, _?): throw ScriptRuntimeError("\(function): '\(label)' given both by position and as '\(label):'")
        case (nil, nil): return nil
        }
    }

    func required(_ index: Int, _ label: String) throws -> Value {
        guard let v = try either(index, label) else { throw missing(label) }
        return v
    }

    func size2(_ index: Int, _ label: String, default d: Size2) throws -> Size2 {
        try either(index, label).map { try toSize2($0, label) } ?? d
    }
}

/// A closure used as a layer in `Sequential`: it is called with the input tensor and must
/// return a tensor. It has no parameters, and prints as `Lambda()`.
final class ClosureLayer: Module {
    let body: Value
    /// Weak: the module may live in the interpreter's globals.
    weak var context: (any CallContext)?
    var isTraining = true
    init(_ body: Value, context: any CallContext) {
        self.body = body
        self.context = context
    }
    var typeName: String { "Lambda" }
    func forward(_ input: Tensor) throws -> Tensor {
        guard let context else { throw ScriptRuntimeError("the interpreter that made this Lambda layer is gone") }
        let result = try context.call(body, [Argument(label: nil, value: .tensor(input))])
        guard case .tensor(let output) = result else {
            throw ScriptRuntimeError("a closure in Sequential must return a Tensor, not \(Lib.typeName(result))")
        }
        return output
    }
}
