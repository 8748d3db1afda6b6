import TensorEngine

extension BuiltinLibrary {
    /// Tensor properties (`shape`, `count`, `dtype`, `requiresGrad`, `grad`, `T`, `scalars`, ...)
    /// and methods (`reshape`, `sum`, `argmax`, `item`, `backward`, ...).
    ///
    /// These run in the inner loops of lessons (`loss.item()`, `x.sum()`), so the common
    /// forms take a fast path: no `ArgumentList` is built when a call has no arguments.
    static func registerTensorMembers(_ library: BuiltinLibrary) {
        registerTensorProperties(library)
        registerTensorShapeMethods(library)
        registerTensorReductions(library)
        registerTensorMathMethods(library)
    }

    /// Defines `x.name(...)` for tensor receivers.
    private static func tensorMethod(_ library: BuiltinLibrary, _ name: String,
                                     _ body: @escaping (Tensor, [Argument]) throws -> Value) {
        library.defineMethod(.tensor, name) { receiver, arguments, _ in
            guard case .tensor(let t) = receiver else { throw Lib.noMember(name, receiver) }
            return try body(t, arguments)
        }
    }

    private static func tensorProperty(_ library: BuiltinLibrary, _ name: String, _ body: @escaping (Tensor) throws -> Value) {
        library.defineProperty(.tensor, name) { receiver in
            guard case .tensor(let t) = receiver else { throw Lib.noMember(name, receiver) }
            return try body(t)
        }
    }

    private static func registerTensorProperties(_ library: BuiltinLibrary) {
        tensorProperty(library, "shape") { .array($0.shape.map(Value.int)) }
        tensorProperty(library, "count") { .int($0.count) }
        tensorProperty(library, "rank") { .int($0.rank) }
        tensorProperty(library, "dtype") { .string($0.dtype.rawValue) }
        tensorProperty(library, "isLeaf") { .bool($0.isLeaf) }
        // PyTorch's node names: `SumBackward0`.
        tensorProperty(library, "gradFn") { t in
            t.gradFunctionName.map { .string($0.hasSuffix("Backward") ? $0 + "0" : $0) } ?? .nil
        }
        tensorProperty(library, "T") { .tensor(try $0.transposed()) }
        tensorProperty(library, "data") { .tensor($0.detach()) }
        tensorProperty(library, "scalars") { t in .array(Lib.scalarValues(t)) }

        library.defineProperty(.tensor, "requiresGrad", get: { receiver in
            guard case .tensor(let t) = receiver else { throw Lib.noMember("requiresGrad", receiver) }
            return .bool(t.sourceParameter?.requiresGrad ?? t.requiresGrad)
        }, set: { receiver, newValue in
            guard case .tensor(var t) = receiver else { throw Lib.noMember("requiresGrad", receiver) }
            guard case .bool(let flag) = newValue else { throw ScriptRuntimeError("requiresGrad must be a Bool, got \(Lib.typeName(newValue))") }
            if flag && t.dtype != .float32 {
                throw ScriptRuntimeError("requiresGrad: only floating point tensors can require gradients, this one is \(t.dtype.rawValue)")
            }
            // A parameter's value freezes (or unfreezes) the parameter itself, as in PyTorch.
            if let parameter = t.sourceParameter {
                parameter.requiresGrad = flag
                receiver = .tensor(parameter.value)
                return
            }
            // Setting it on a computed tensor makes a fresh leaf, like `x = x.detach().requires_grad_()`.
            if flag && !t.isLeaf { t = t.detach() }
            t.requiresGrad = flag
            receiver = .tensor(t)
        })

        library.defineProperty(.tensor, "grad", get: { receiver in
            guard case .tensor(let t) = receiver else { throw Lib.noMember("grad", receiver) }
            return t.grad.map(Value.tensor) ?? .nil
        }, set: { receiver, newValue in
            guard case .tensor(let t) = receiver else { throw Lib.noMember("grad", receiver) }
            switch newValue {
            case .nil: t.zeroGrad()
            case .tensor(let g):
                guard t.requiresGrad else { throw ScriptRuntimeError("grad: the tensor does not require grad") }
                guard g.shape == t.shape else {
                    throw ScriptRuntimeError("grad: assigned grad has shape \(shapeDescription(g.shape)), the tensor has \(shapeDescription(t.shape))")
                }
                t.grad = g.detach()
            default: throw ScriptRuntimeError("grad must be a Tensor or nil, got \(Lib.typeName(newValue))")
            }
        })
    }

    private static func registerTensorShapeMethods(_ library: BuiltinLibrary) {
        tensorMethod(library, "reshape") { t, a in .tensor(try t.reshape(try Lib.sizes(a, "reshape"))) }
        tensorMethod(library, "view") { t, a in .tensor(try t.view(try Lib.sizes(a, "view"))) }
        tensorMethod(library, "permute") { t, a in .tensor(try t.permute(try Lib.sizes(a, "permute"))) }
        tensorMethod(library, "expand") { t, a in .tensor(try t.expand(try Lib.sizes(a, "expand"))) }
        tensorMethod(library, "flatten") { t, a in
            if a.isEmpty { return .tensor(try t.flatten()) }
            let args = try ArgumentList(a, function: "flatten", labels: ["startDim", "endDim"], maxPositional: 2)
            let start = try args[0].map { try args.toInt($0, "startDim") } ?? (try args.int("startDim", default: 0))
            let end = try args[1].map { try args.toInt($0, "endDim") } ?? (try args.int("endDim", default: -1))
            return .tensor(try t.flatten(startDim: start, endDim: end))
        }
        tensorMethod(library, "squeeze") { t, a in
            if a.isEmpty { return .tensor(t.squeeze()) }
            return .tensor(try t.squeeze(dim: try Lib.dimArgument(a, "squeeze")))
        }
        tensorMethod(library, "unsqueeze") { t, a in .tensor(try t.unsqueeze(try Lib.dimArgument(a, "unsqueeze"))) }
        tensorMethod(library, "transpose") { t, a in
            let args = try ArgumentList(a, function: "transpose", maxPositional: 2)
            return .tensor(try t.transpose(try args.int(0, "dim0"), try args.int(1, "dim1")))
        }
        tensorMethod(library, "t") { t, a in
            guard a.isEmpty else { throw ScriptRuntimeError("t: expected no arguments") }
            return .tensor(try t.transposed())
        }
        tensorMethod(library, "numel") { t, a in
            guard a.isEmpty else { throw ScriptRuntimeError("numel: expected no arguments") }
            return .int(t.count)
        }
        tensorMethod(library, "dim") { t, a in
            guard a.isEmpty else { throw ScriptRuntimeError("dim: expected no arguments") }
            return .int(t.rank)
        }
        tensorMethod(library, "size") { t, a in
            if a.isEmpty { return .array(t.shape.map(Value.int)) }
            let d = try Lib.dimArgument(a, "size")
            let resolved = d < 0 ? d + t.rank : d
            guard t.shape.indices.contains(resolved) else {
                throw ScriptRuntimeError("size: dimension \(d) is out of range for a tensor of shape \(shapeDescription(t.shape))")
            }
            return .int(t.shape[resolved])
        }
        tensorMethod(library, "toArray") { t, a in
            guard a.isEmpty else { throw ScriptRuntimeError("toArray: expected no arguments") }
            return Lib.nestedArray(t)
        }
        for (name, dtype) in [("float", DType.float32), ("long", .int64), ("bool", .bool)] {
            tensorMethod(library, name) { t, a in
                guard a.isEmpty else { throw ScriptRuntimeError("\(name): expected no arguments") }
                return .tensor(try Lib.converted(t, to: dtype))
            }
        }
        tensorMethod(library, "flip") { t, a in .tensor(try Lib.flipped(t, try Lib.sizes(a, "flip"))) }
        tensorMethod(library, "clone") { t, _ in .tensor(t) }
        tensorMethod(library, "contiguous") { t, _ in .tensor(t) }
    }

    private static func registerTensorReductions(_ library: BuiltinLibrary) {
        typealias Full = (Tensor) throws -> Tensor
        typealias Along = (Tensor, Int, Bool) throws -> Tensor
        func reduction(_ name: String, full: @escaping Full, along: @escaping Along, many: ((Tensor, [Int], Bool) throws -> Tensor)? = nil) {
            tensorMethod(library, name) { t, a in
                if a.isEmpty { return .tensor(try full(t)) }
                // `x.argmax(dim: 1)` in an accuracy loop: no argument parsing.
                if a.count == 1, a[0].label == nil || a[0].label == "dim", case .int(let d) = a[0].value {
                    return .tensor(try along(t, d, false))
                }
                let args = try ArgumentList(a, function: name, labels: ["dim", "keepDim"], maxPositional: 1)
                let keep = try args.bool("keepDim", default: false)
                guard let dimValue = args[0] ?? args["dim"] else {
                    if keep { throw ScriptRuntimeError("\(name): keepDim needs a dim") }
                    return .tensor(try full(t))
                }
                if case .int(let d) = dimValue { return .tensor(try along(t, d, keep)) }
                if let dims = Lib.shape(dimValue), let many { return .tensor(try many(t, dims, keep)) }
                throw args.wrongType("dim", expected: many == nil ? "an Int" : "an Int or an array of Ints", got: dimValue)
            }
        }
        reduction("sum", full: { try $0.sum() }, along: { try $0.sum(dim: $1, keepDim: $2) }, many: { try $0.sum(dims: $1, keepDim: $2) })
        reduction("mean", full: { try $0.mean() }, along: { try $0.mean(dim: $1, keepDim: $2) }, many: { try $0.mean(dims: $1, keepDim: $2) })
        reduction("max", full: { try $0.max() }, along: { try $0.max(dim: $1, keepDim: $2) })
        reduction("min", full: { try $0.min() }, along: { try $0.min(dim: $1, keepDim: $2) })
        reduction("argmax", full: { try $0.argmax() }, along: { try $0.argmax(dim: $1, keepDim: $2) })
        reduction("argmin", full: { try $0.argmin() }, along: { try $0.argmin(dim: $1, keepDim: $2) })

        tensorMethod(library, "item") { t, a in
            guard a.isEmpty else { throw ScriptRuntimeError("item: expected no arguments") }
            return Lib.scalarValue(try t.item(), t.dtype)
        }
    }

    private static func registerTensorMathMethods(_ library: BuiltinLibrary) {
        func unary(_ name: String, _ f: @escaping (Tensor) throws -> Tensor) {
            tensorMethod(library, name) { t, a in
                guard a.isEmpty else { throw ScriptRuntimeError("\(name): expected no arguments, got \(a.count)") }
                return .tensor(try f(t))
            }
        }
        unary("abs") { try $0.abs() }
        unary("exp") { try $0.exp() }
        unary("log") { try $0.log() }
        unary("sqrt") { try $0.sqrt() }
        unary("relu") { try $0.relu() }
        unary("sigmoid") { try $0.sigmoid() }
        unary("tanh") { try $0.tanh() }
        unary("detach") { $0.detach() }

        tensorMethod(library, "pow") { t, a in
            let v = try Lib.single(a, "pow")
            if case .tensor(let e) = v { return .tensor(try t.pow(e)) }
            guard let e = Lib.double(v) else { throw ScriptRuntimeError("pow: the exponent must be a number or a Tensor, got \(Lib.typeName(v))") }
            return .tensor(try t.pow(Float(e)))
        }
        tensorMethod(library, "clamp") { t, a in
            let args = try ArgumentList(a, function: "clamp", labels: ["min", "max"], maxPositional: 0)
            let lo = try args.optionalDouble("min"), hi = try args.optionalDouble("max")
            guard lo != nil || hi != nil else { throw ScriptRuntimeError("clamp: give min:, max: or both") }
            return .tensor(try t.clamp(min: lo.map(Float.init), max: hi.map(Float.init)))
        }
        for name in ["softmax", "logSoftmax"] {
            tensorMethod(library, name) { t, a in
                let d = try Lib.dimArgument(a, name)
                return .tensor(name == "softmax" ? try t.softmax(dim: d) : try t.logSoftmax(dim: d))
            }
        }
        tensorMethod(library, "matmul") { t, a in
            guard case .tensor(let other) = try Lib.single(a, "matmul") else { throw ScriptRuntimeError("matmul: expected a Tensor") }
            return .tensor(try t.matmul(other))
        }
        tensorMethod(library, "normalized") { t, a in
            let args = try ArgumentList(a, function: "normalized", labels: ["mean", "std"], maxPositional: 0)
            return .tensor(try t.normalized(mean: try Lib.floats(try args.value("mean"), "mean"), std: try Lib.floats(try args.value("std"), "std")))
        }
        tensorMethod(library, "backward") { t, a in
            if a.isEmpty { try t.backward(); return .void }
            let args = try ArgumentList(a, function: "backward", labels: ["gradient"], maxPositional: 0)
            try t.backward(gradient: try args.tensor("gradient"))
            return .void
        }
        tensorMethod(library, "zeroGrad") { t, _ in t.zeroGrad(); return .void }
        tensorMethod(library, "retainGrad") { t, _ in t.retainGrad(); return .void }
        tensorMethod(library, "allClose") { t, a in
            let args = try ArgumentList(a, function: "allClose", labels: ["rtol", "atol"], maxPositional: 1)
            let other = try args.tensor(0, "other")
            let rtol = try args.double("rtol", default: 1e-5), atol = try args.double("atol", default: 1e-8)
            guard let shape = try? broadcastShapes(t.shape, other.shape, operation: "allClose"), shape == t.shape || shape == other.shape else {
                throw ScriptRuntimeError("allClose: shapes \(shapeDescription(t.shape)) and \(shapeDescription(other.shape)) do not match")
            }
            let x = try t.detach().broadcast(to: shape).scalars, y = try other.detach().broadcast(to: shape).scalars
            for (p, q) in zip(x, y) where !(Swift.abs(Double(p) - Double(q)) <= atol + rtol * Swift.abs(Double(q))) { return .bool(false) }
            return .bool(true)
        }
    }
}

extension Lib {
    /// One element as the language shows it: Int for int64, Bool for bool, Double for float32
    /// (the Float widened exactly, as PyTorch's `item()` gives a Python float).
    @inline(__always)
    static func scalarValue(_ v: Float, _ dtype: DType) -> Value {
        switch dtype {
        case .float32: return .double(Double(v))
        case .int64: return exactInt(Double(v)).map(Value.int) ?? .double(Double(v))
        case .bool: return .bool(v != 0)
        }
    }

    static func scalarValues(_ t: Tensor) -> [Value] {
        t.withUnsafeBufferPointer { buffer in buffer.map { scalarValue($0, t.dtype) } }
    }

    /// The tensor as nested arrays, like `tolist()`.
    static func nestedArray(_ t: Tensor) -> Value {
        let flat = scalarValues(t)
        if t.rank == 0 { return flat.first ?? .nil }
        func build(_ dim: Int, _ offset: Int, _ stride: Int) -> Value {
            let size = t.shape[dim]
            let inner = stride / Swift.max(size, 1)
            if dim == t.rank - 1 { return .array(Array(flat[offset..<(offset + size)])) }
            return .array((0..<size).map { build(dim + 1, offset + $0 * inner, inner) })
        }
        return build(0, 0, t.count)
    }

    /// The sizes of `reshape`/`view`/`permute`/`expand`: several Ints or one array.
    @inline(__always)
    static func sizes(_ arguments: [Argument], _ function: String) throws -> [Int] {
        var sizes: [Int] = []
        sizes.reserveCapacity(arguments.count)
        for a in arguments {
            if let label = a.label { throw ScriptRuntimeError("\(function): unexpected argument label '\(label)'") }
            switch a.value {
            case .int(let d): sizes.append(d)
            case .array, .tuple:
                guard arguments.count == 1, let s = shape(a.value) else {
                    throw ScriptRuntimeError("\(function): expected Ints (\(function)(2, 3)) or one array of Ints (\(function)([2, 3]))")
                }
                return s
            default:
                throw ScriptRuntimeError("\(function): expected Ints, got \(typeName(a.value))")
            }
        }
        return sizes
    }

    /// A single dimension, given unlabelled or as `dim:`.
    static func dimArgument(_ arguments: [Argument], _ function: String) throws -> Int {
        guard arguments.count == 1, arguments[0].label == nil || arguments[0].label == "dim" else {
            let args = try ArgumentList(arguments, function: function, labels: ["dim"], maxPositional: 1)
            _ = try args.value("dim")
            throw ScriptRuntimeError("\(function): expected one dimension")
        }
        guard case .int(let d) = arguments[0].value else {
            throw ScriptRuntimeError("\(function): the dimension must be an Int, got \(typeName(arguments[0].value))")
        }
        return d
    }

    /// The elements in reverse order along each of `dims`, like `torch.flip` (the kernel of a
    /// true convolution is the cross-correlation kernel flipped in both dimensions). Built from
    /// slices and `cat`, so gradients flow through it.
    static func flipped(_ t: Tensor, _ dims: [Int]) throws -> Tensor {
        var result = t
        for d in dims {
            let axis = d < 0 ? d + t.rank : d
            guard (0..<t.rank).contains(axis) else {
                throw ScriptRuntimeError("flip: dimension \(d) is out of range for a tensor of shape \(shapeDescription(t.shape))")
            }
            let n = result.shape[axis]
            if n <= 1 { continue }
            let leading = [TensorIndex](repeating: .all, count: axis)
            let slices = try (0..<n).reversed().map { try result.slice(leading + [.range($0, $0 + 1, closed: false)]) }
            result = try Tensor.cat(slices, dim: axis)
        }
        return result
    }

    /// A mean or standard deviation: one number or an array of numbers (one per channel).
    static func floats(_ value: Value, _ name: String) throws -> [Float] {
        if let d = double(value) { return [Float(d)] }
        if case .array(let items) = value {
            return try items.map { v in
                guard let d = double(v) else { throw ScriptRuntimeError("\(name): expected numbers, got \(typeName(v))") }
                return Float(d)
            }
        }
        throw ScriptRuntimeError("\(name) must be a number or an array of numbers, got \(typeName(value))")
    }
}
