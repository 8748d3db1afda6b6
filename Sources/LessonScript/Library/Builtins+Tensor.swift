import TensorEngine

extension BuiltinLibrary {
    /// The engine's functions, with Swift naming and PyTorch's argument order: creation
    /// (`tensor`, `zeros`, `ones`, `full`, `arange`, `linspace`, `eye`, `rand`, `randn`,
    /// `randint`, `manualSeed`), combining (`stack`, `cat`), convolution and pooling
    /// (`corr2d`, `conv2d`, `maxPool2d`, `avgPool2d`, `adaptiveAvgPool2d`), activations
    /// (`relu`, `sigmoid`, `softmax`, `logSoftmax`, `dropout`), `matmul` and `linear`.
    /// (`exp`, `log`, `sqrt`, `abs`, `tanh`, `pow` take tensors too: see `registerMath`.)
    static func registerTensorFunctions(_ library: BuiltinLibrary) {
        registerCreation(library)
        registerOperations(library)
    }

    private static func registerCreation(_ library: BuiltinLibrary) {
        library.defineFunction("tensor") { arguments, _ in
            let args = try ArgumentList(arguments, function: "tensor", labels: ["dtype", "requiresGrad"], maxPositional: 1)
            let data = try args.value(0, "data")
            let dtype = try args["dtype"].map { try Lib.dtype($0, "tensor") }
            var t: Tensor
            if case .tensor(let existing) = data {
                t = existing.detach()
                if let dtype { t = try Lib.converted(t, to: dtype) }
            } else {
                let (nested, inferred) = try Lib.nested(data)
                if let dtype, dtype != .float32 {
                    // An explicit integer or boolean type converts the values, like torch.tensor(..., dtype=).
                    t = try Lib.converted(try Tensor(nested: nested, dtype: .float32), to: dtype)
                } else {
                    t = try Tensor(nested: nested, dtype: dtype ?? inferred)
                }
            }
            if try args.bool("requiresGrad", default: false) {
                guard t.dtype == .float32 else { throw ScriptRuntimeError("tensor: only floating point tensors can require gradients", suggestion: "write the values as Doubles (1.0) or pass dtype: .float32") }
                t.requiresGrad = true
            }
            return .tensor(t)
        }

        for (name, value) in [("zeros", Float(0)), ("ones", Float(1))] {
            library.defineFunction(name) { arguments, _ in
                let args = try ArgumentList(arguments, function: name, labels: ["dtype", "requiresGrad"])
                let dtype = try args["dtype"].map { try Lib.dtype($0, name) } ?? .float32
                var t = try Tensor.full(try args.shape(), value, dtype: dtype)
                if try args.bool("requiresGrad", default: false) { t.requiresGrad = true }
                return .tensor(t)
            }
        }

        library.defineFunction("full") { arguments, _ in
            let args = try ArgumentList(arguments, function: "full", labels: ["dtype", "requiresGrad"], maxPositional: 2)
            let shapeValue = try args.value(0, "size")
            guard let shape = Lib.shape(shapeValue) else { throw args.wrongType("size", expected: "an array of Ints ([2, 3])", got: shapeValue) }
            let fill = try args.value(1, "fillValue")
            guard let v = Lib.double(fill) else { throw args.wrongType("fillValue", expected: "a number", got: fill) }
            // Like torch.full: an integer fill value gives an integer tensor.
            let inferred: DType = { if case .int = fill { return .int64 } else { return .float32 } }()
            let dtype = try args["dtype"].map { try Lib.dtype($0, "full") } ?? inferred
            var t = try Tensor.full(shape, Float(v), dtype: dtype)
            if try args.bool("requiresGrad", default: false) { t.requiresGrad = true }
            return .tensor(t)
        }

        library.defineFunction("arange") { arguments, _ in
            let args = try ArgumentList(arguments, function: "arange", labels: ["dtype"], maxPositional: 3)
            let dtype = try args["dtype"].map { try Lib.dtype($0, "arange") }
            var numbers: [Double] = []
            for (i, v) in args.positional.enumerated() { numbers.append(try args.toDouble(v, ["start", "end", "step"][i])) }
            let allInts = args.positional.allSatisfy { if case .int = $0 { return true } else { return false } }
            let resolved = dtype ?? (allInts ? .int64 : .float32)
            // The engine sizes the result from (end − start) / step; refuse counts no tensor could hold
            // (it reports non-finite arguments, a zero step and a wrong sign itself).
            if numbers.allSatisfy(\.isFinite) {
                let (start, end) = numbers.count == 1 ? (0, numbers[0]) : (numbers[0], numbers[1])
                let step = numbers.count == 3 ? numbers[2] : 1
                if step != 0, (end - start) / step >= 1e12 {
                    throw ScriptRuntimeError("arange: \(start) to \(end) by \(step) has more elements than a tensor can hold")
                }
            }
            switch numbers.count {
            case 1: return .tensor(try Tensor.arange(0, numbers[0], 1, dtype: resolved))
            case 2: return .tensor(try Tensor.arange(numbers[0], numbers[1], 1, dtype: resolved))
            case 3: return .tensor(try Tensor.arange(numbers[0], numbers[1], numbers[2], dtype: resolved))
            default: throw args.missing("end")
            }
        }

        library.defineFunction("linspace") { arguments, _ in
            let args = try ArgumentList(arguments, function: "linspace", labels: ["steps"], maxPositional: 3)
            let steps = try args[2].map { try args.toInt($0, "steps") } ?? (try args.int("steps"))
            return .tensor(try Tensor.linspace(try args.double(0, "start"), try args.double(1, "end"), steps: steps))
        }

        library.defineFunction("eye") { arguments, _ in
            let args = try ArgumentList(arguments, function: "eye", labels: ["dtype"], maxPositional: 2)
            let dtype = try args["dtype"].map { try Lib.dtype($0, "eye") } ?? .float32
            let m = try args[1].map { try args.toInt($0, "m") }
            return .tensor(try Tensor.eye(try args.int(0, "n"), m, dtype: dtype))
        }

        library.defineFunction("rand") { arguments, _ in
            let args = try ArgumentList(arguments, function: "rand", labels: ["requiresGrad"])
            var t = try Tensor.rand(try args.shape())
            if try args.bool("requiresGrad", default: false) { t.requiresGrad = true }
            return .tensor(t)
        }

        library.defineFunction("randn") { arguments, _ in
            let args = try ArgumentList(arguments, function: "randn", labels: ["requiresGrad"])
            var t = try Tensor.randn(try args.shape())
            if try args.bool("requiresGrad", default: false) { t.requiresGrad = true }
            return .tensor(t)
        }

        // randint(high, [shape]) or randint(low, high, [shape]), like torch.randint.
        library.defineFunction("randint") { arguments, _ in
            let args = try ArgumentList(arguments, function: "randint", labels: ["size"], maxPositional: 3)
            var ints: [Int] = []
            var shape: [Int]? = try args["size"].map { v in
                guard let s = Lib.shape(v) else { throw args.wrongType("size", expected: "an array of Ints", got: v) }
                return s
            }
            for v in args.positional {
                if case .int(let i) = v { ints.append(i); continue }
                guard shape == nil, let s = Lib.shape(v) else { throw args.wrongType("size", expected: "an array of Ints ([2, 3])", got: v) }
                shape = s
            }
            guard let shape else { throw args.missing("size") }
            if ints.count == 2, ints[1].subtractingReportingOverflow(ints[0]).overflow {
                throw ScriptRuntimeError("randint: the range \(ints[0])..<\(ints[1]) is too wide")
            }
            switch ints.count {
            case 1: return .tensor(try Tensor.randint(0, ints[0], shape))
            case 2: return .tensor(try Tensor.randint(ints[0], ints[1], shape))
            default: throw ScriptRuntimeError("randint: expected randint(high, [shape]) or randint(low, high, [shape])")
            }
        }

        library.defineFunction("manualSeed") { arguments, _ in
            let args = try ArgumentList(arguments, function: "manualSeed", maxPositional: 1)
            TensorEngine.manualSeed(try args.int(0, "seed"))
            return .void
        }

        for name in ["zerosLike", "onesLike"] {
            library.defineFunction(name) { arguments, _ in
                guard case .tensor(let t) = try Lib.single(arguments, name) else {
                    throw ScriptRuntimeError("\(name): expected a Tensor")
                }
                return .tensor(name == "zerosLike" ? try Tensor.zerosLike(t) : try Tensor.onesLike(t))
            }
        }
    }

    private static func registerOperations(_ library: BuiltinLibrary) {
        for name in ["stack", "cat"] {
            library.defineFunction(name) { arguments, _ in
                let args = try ArgumentList(arguments, function: name, labels: ["dim"], maxPositional: 1)
                let list = try args.value(0, "tensors")
                guard case .array(let items) = list else { throw args.wrongType("tensors", expected: "an array of Tensors", got: list) }
                var tensors: [Tensor] = []
                tensors.reserveCapacity(items.count)
                for (i, item) in items.enumerated() {
                    guard case .tensor(let t) = item else { throw ScriptRuntimeError("\(name): element \(i) of the array is \(Lib.typeName(item)), not a Tensor") }
                    tensors.append(t)
                }
                let dim = try args.int("dim", default: 0)
                return .tensor(name == "stack" ? try Tensor.stack(tensors, dim: dim) : try Tensor.cat(tensors, dim: dim))
            }
        }

        library.defineFunction("corr2d") { arguments, _ in
            let args = try ArgumentList(arguments, function: "corr2d", maxPositional: 2)
            return .tensor(try TensorEngine.corr2d(try args.tensor(0, "input"), try args.tensor(1, "kernel")))
        }

        library.defineFunction("conv2d") { arguments, _ in
            let args = try ArgumentList(arguments, function: "conv2d",
                                        labels: ["weight", "bias", "stride", "padding", "dilation", "groups"], maxPositional: 2)
            let input = try args.tensor(0, "input")
            let weight = try args[1].map { try args.toTensor($0, "weight") } ?? (try args.tensor("weight"))
            return .tensor(try TensorEngine.conv2d(input, weight: weight, bias: try args.optionalTensor("bias"),
                                                   stride: try args.size2("stride", default: 1), padding: try args.size2("padding", default: 0),
                                                   dilation: try args.size2("dilation", default: 1), groups: try args.int("groups", default: 1)))
        }

        library.defineFunction("maxPool2d") { arguments, _ in
            let args = try ArgumentList(arguments, function: "maxPool2d",
                                        labels: ["kernelSize", "stride", "padding", "dilation", "ceilMode"], maxPositional: 2)
            let input = try args.tensor(0, "input")
            return .tensor(try input.maxPool2d(kernel: try Lib.kernelSize(args, at: 1), stride: try args.optionalSize2("stride"),
                                               padding: try args.size2("padding", default: 0), dilation: try args.size2("dilation", default: 1),
                                               ceilMode: try args.bool("ceilMode", default: false)))
        }

        library.defineFunction("avgPool2d") { arguments, _ in
            let args = try ArgumentList(arguments, function: "avgPool2d",
                                        labels: ["kernelSize", "stride", "padding", "ceilMode", "countIncludePad"], maxPositional: 2)
            let input = try args.tensor(0, "input")
            return .tensor(try input.avgPool2d(kernel: try Lib.kernelSize(args, at: 1), stride: try args.optionalSize2("stride"),
                                               padding: try args.size2("padding", default: 0), ceilMode: try args.bool("ceilMode", default: false),
                                               countIncludePad: try args.bool("countIncludePad", default: true)))
        }

        library.defineFunction("adaptiveAvgPool2d") { arguments, _ in
            let args = try ArgumentList(arguments, function: "adaptiveAvgPool2d", labels: ["outputSize"], maxPositional: 2)
            let size = try args[1].map { try args.toSize2($0, "outputSize") } ?? (try args.toSize2(try args.value("outputSize"), "outputSize"))
            return .tensor(try args.tensor(0, "input").adaptiveAvgPool2d(outputSize: size))
        }

        func activation(_ name: String, _ f: @escaping (Tensor) throws -> Tensor) {
            library.defineFunction(name) { arguments, _ in
                let v = try Lib.single(arguments, name)
                guard case .tensor(let t) = v else { throw ScriptRuntimeError("\(name): expected a Tensor, got \(Lib.typeName(v))") }
                return .tensor(try f(t))
            }
        }
        activation("relu") { try $0.relu() }
        activation("sigmoid") { try $0.sigmoid() }

        for name in ["softmax", "logSoftmax"] {
            library.defineFunction(name) { arguments, _ in
                let args = try ArgumentList(arguments, function: name, labels: ["dim"], maxPositional: 1)
                let x = try args.tensor(0, "input"), dim = try args.int("dim")
                return .tensor(name == "softmax" ? try x.softmax(dim: dim) : try x.logSoftmax(dim: dim))
            }
        }

        library.defineFunction("dropout") { arguments, _ in
            let args = try ArgumentList(arguments, function: "dropout", labels: ["p", "training"], maxPositional: 1)
            let p = try args.double("p", default: 0.5)
            return .tensor(try args.tensor(0, "input").dropout(p: Float(p), training: try args.bool("training", default: true)))
        }

        library.defineFunction("matmul") { arguments, _ in
            guard arguments.count == 2, arguments[0].label == nil, arguments[1].label == nil,
                  case .tensor(let a) = arguments[0].value, case .tensor(let b) = arguments[1].value else {
                let args = try ArgumentList(arguments, function: "matmul", maxPositional: 2)
                _ = try args.tensor(0, "input"); _ = try args.tensor(1, "other")
                throw ScriptRuntimeError("matmul: expected two Tensors")
            }
            return .tensor(try a.matmul(b))
        }

        library.defineFunction("linear") { arguments, _ in
            let args = try ArgumentList(arguments, function: "linear", labels: ["weight", "bias"], maxPositional: 2)
            let weight = try args[1].map { try args.toTensor($0, "weight") } ?? (try args.tensor("weight"))
            return .tensor(try TensorEngine.linear(try args.tensor(0, "input"), weight: weight, bias: try args.optionalTensor("bias")))
        }

        library.defineFunction("flatten") { arguments, _ in
            let args = try ArgumentList(arguments, function: "flatten", labels: ["startDim", "endDim"], maxPositional: 1)
            return .tensor(try args.tensor(0, "input").flatten(startDim: try args.int("startDim", default: 0), endDim: try args.int("endDim", default: -1)))
        }
    }
}

extension Lib {
    /// `.float32`, `.int64` or `.bool` (or the same as a String).
    static func dtype(_ value: Value, _ function: String) throws -> DType {
        switch value {
        case .implicitMember(let name), .string(let name):
            if let d = DType(rawValue: name) { return d }
            switch name {
            case "float", "double", "float64": return .float32
            case "long", "int", "int32": return .int64
            default: break
            }
            throw ScriptRuntimeError("\(function): unknown dtype '\(name)'; expected .float32, .int64 or .bool")
        default:
            throw ScriptRuntimeError("\(function): argument 'dtype' must be .float32, .int64 or .bool, got \(typeName(value))")
        }
    }

    /// A tensor with another element type (truncating toward zero for int64, like `.long()`).
    static func converted(_ t: Tensor, to dtype: DType) throws -> Tensor {
        try t.converted(to: dtype)
    }

    /// A nested array literal as the engine's `NestedArray`, with the element type PyTorch
    /// would infer: all Ints → int64, any Double → float32, all Bools → bool.
    static func nested(_ value: Value) throws -> (NestedArray, DType) {
        var sawDouble = false, sawInt = false, sawBool = false
        func convert(_ v: Value, depth: Int) throws -> NestedArray {
            switch v {
            case .int(let i): sawInt = true; return .scalar(Float(i))
            case .double(let d): sawDouble = true; return .scalar(Float(d))
            case .bool(let b): sawBool = true; return .scalar(b ? 1 : 0)
            case .array(let items), .tuple(let items, _):
                guard depth < 32 else { throw ScriptRuntimeError("tensor: nesting deeper than 32 levels") }
                return .list(try items.map { try convert($0, depth: depth + 1) })
            case .tensor(let t) where t.rank == 0 && !t.isMeta:
                sawDouble = sawDouble || t.dtype == .float32
                sawInt = sawInt || t.dtype != .float32
                return .scalar(try t.item())
            case .range:
                sawInt = true
                return .list(try elements(v, "tensor").map { try convert($0, depth: depth + 1) })
            default:
                throw ScriptRuntimeError("tensor: expected numbers or nested arrays of numbers, got \(typeName(v))")
            }
        }
        let nested = try convert(value, depth: 0)
        let dtype: DType = sawDouble ? .float32 : (sawInt ? .int64 : (sawBool ? .bool : .float32))
        if sawBool && (sawInt || sawDouble) {
            throw ScriptRuntimeError("tensor: cannot mix Bool with numbers in one tensor")
        }
        return (nested, dtype)
    }

    /// The kernel size of a functional pooling call: unlabelled after the input, or `kernelSize:`.
    static func kernelSize(_ args: ArgumentList, at index: Int) throws -> Size2 {
        if let v = args[index] { return try args.toSize2(v, "kernelSize") }
        return try args.toSize2(try args.value("kernelSize"), "kernelSize")
    }
}
