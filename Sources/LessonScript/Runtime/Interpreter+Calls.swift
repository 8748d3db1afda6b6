import TensorEngine

/// Where a call is written, for locating errors and for call chains.
final class CallSite {
    let source: SourceText
    let range: SourceRange
    init(source: SourceText, range: SourceRange) { self.source = source; self.range = range }
    var locationText: String { source.location(range.start).description }
}

extension Interpreter {
    /// Turns an error of a built-in or of the engine into a diagnostic at `range`; other
    /// errors (diagnostics, cancellation) pass unchanged.
    static func locate(_ error: Error, _ source: SourceText, _ range: SourceRange) -> Error {
        switch error {
        case let e as ScriptRuntimeError: return source.diagnostic(.runtime, e.message, at: range, suggestion: e.suggestion)
        case let e as TensorError: return source.diagnostic(.runtime, e.message, at: range, suggestion: e.suggestion)
        default: return error
        }
    }

    /// Adds `in f(_:) called at file:line:col` to a diagnostic leaving a script function.
    static func addCall(_ error: Error, _ signature: String, _ site: CallSite?) -> Error {
        guard var d = error as? ScriptDiagnostic, let site else { return error }
        d.appendCall("in \(signature) called at \(site.locationText)")
        return d
    }

    /// Calls any callable value.
    func callValue(_ callee: Value, _ arguments: [Argument], site: CallSite?) throws -> Value {
        do {
            switch callee {
            case .function(let f):
                switch f {
                case let fn as ScriptFunction:
                    do { return try execute(fn, arguments, self: nil).result } catch { throw Interpreter.addCall(error, fn.code.signature, site) }
                case let b as BuiltinFunctionValue:
                    return try b.body(arguments, self)
                case let t as TypeConstructor:
                    do { return try construct(t.type, arguments) } catch { throw Interpreter.addCall(error, "\(t.type.name).init", site) }
                case let m as BoundBuiltinMethod:
                    var receiver = m.receiver
                    return try m.body(&receiver, arguments, self)
                default:
                    throw ScriptRuntimeError("cannot call '\(f.name)'")
                }
            case .module(let m):
                guard arguments.count == 1, case .tensor(let x) = arguments[0].value, arguments[0].label == nil else {
                    throw ScriptRuntimeError("a \(m.typeName) is called with one Tensor: \(m.typeName.lowercased())(x); got (\(arguments.map { ($0.label.map { "\($0): " } ?? "") + $0.value.typeDescription }.joined(separator: ", ")))")
                }
                do { return .tensor(try m(x)) } catch { throw Interpreter.addCall(error, "\(m.typeName).callAsFunction(_:)", site) }
            case .object(let o as ScriptInstance):
                if let method = o.type.method("callAsFunction") {
                    do { return try execute(method, arguments, self: callee).result } catch { throw Interpreter.addCall(error, method.code.signature, site) }
                }
                throw ScriptRuntimeError("cannot call value of type '\(o.typeName)'", suggestion: "define func callAsFunction(...) in '\(o.typeName)'")
            default:
                if let body = library.method(for: callee, named: "callAsFunction")?.body {
                    var receiver = callee
                    return try body(&receiver, arguments, self)
                }
                throw ScriptRuntimeError("cannot call value of non-function type '\(callee.typeDescription)'")
            }
        } catch {
            guard let site else { throw error }
            throw Interpreter.locate(error, site.source, site.range)
        }
    }

    /// Runs a script function: binds the arguments into a new frame, runs the body.
    /// Returns the result and the frame (callers of mutating methods read `self` back).
    func execute(_ fn: ScriptFunction, _ arguments: [Argument], self receiver: Value?) throws -> (result: Value, frame: Frame) {
        let code = fn.code
        let frame = Frame(slotCount: code.slotCount, boxCount: code.boxCount, captures: fn.captures)
        if let selfSlot = code.selfSlot {
            let value = receiver ?? fn.boundSelf ?? .void
            if code.selfBox >= 0 { frame.boxes[code.selfBox] = Box(value) } else { frame.slots[selfSlot] = value }
        }
        // Counted before binding: a default argument may call the function itself.
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > Interpreter.maximumCallDepth {
            throw ScriptRuntimeError("recursion too deep: more than \(Interpreter.maximumCallDepth) nested calls of script functions",
                                     suggestion: "check that '\(code.name)' stops calling itself")
        }
        try bind(code, arguments, into: frame)
        try host.checkCancellation()
        let flow = try code.body(frame)
        var result = flow == .returnValue ? frame.returnValue : .void
        if code.returnsDouble, case .int(let v) = result { result = .double(Double(v)) }
        return (result, frame)
    }

    /// Calls a function value with arguments (for built-ins and modules).
    func invoke(_ fn: ScriptFunction, _ arguments: [Argument]) throws -> Value {
        try execute(fn, arguments, self: nil).result
    }

    /// `self` of a frame after a method or initialiser ran.
    static func selfValue(of code: CompiledFunction, in frame: Frame) -> Value {
        guard let slot = code.selfSlot else { return .void }
        return code.selfBox >= 0 ? frame.boxes[code.selfBox].value : frame.slots[slot]
    }

    private func store(_ p: CompiledFunction.Parameter, _ value: Value, in frame: Frame) {
        var v = value
        if p.convertsToDouble, case .int(let i) = v { v = .double(Double(i)) }
        if p.boxIndex >= 0 { frame.boxes[p.boxIndex] = Box(v) } else { frame.slots[p.slot] = v }
    }

    private func describeLabels(_ arguments: [Argument]) -> String {
        "(" + arguments.map { ($0.label ?? "_") + ":" }.joined() + ")"
    }

    /// Matches arguments to parameters by label and position, as Swift does.
    private func bind(_ code: CompiledFunction, _ arguments: [Argument], into frame: Frame) throws {
        let parameters = code.parameters
        if code.isClosure {
            if parameters.isEmpty { return }
            if arguments.count == 1 && parameters.count > 1, case .tuple(let elements, _) = arguments[0].value, elements.count == parameters.count {
                for (p, v) in zip(parameters, elements) { store(p, v, in: frame) }
                return
            }
            guard arguments.count == parameters.count || (code.parameters.first?.label == "$" && arguments.count >= parameters.count) else {
                throw ScriptRuntimeError("closure expects \(parameters.count) argument\(parameters.count == 1 ? "" : "s"), but \(arguments.count) \(arguments.count == 1 ? "was" : "were") given")
            }
            for (p, a) in zip(parameters, arguments) { store(p, a.value, in: frame) }
            return
        }
        var next = 0
        for (position, p) in parameters.enumerated() {
            if p.isVariadic {
                var values: [Value] = []
                if next < arguments.count && arguments[next].label == p.label {
                    values.append(arguments[next].value)
                    next += 1
                    while next < arguments.count && arguments[next].label == nil {
                        values.append(arguments[next].value)
                        next += 1
                    }
                }
                store(p, .array(values), in: frame)
                continue
            }
            if next < arguments.count && arguments[next].label == p.label {
                store(p, arguments[next].value, in: frame)
                next += 1
                continue
            }
            if let d = p.defaultValue {
                // Labels that match a later parameter skip this one; otherwise a wrong label is an error below.
                store(p, try d(frame), in: frame)
                continue
            }
            if next < arguments.count {
                let have = arguments[next].label
                if have == nil {
                    throw ScriptRuntimeError("missing argument label '\(p.label ?? "_"):' in call to \(code.signature)",
                                             suggestion: "write \(p.label ?? "_"): before the argument")
                }
                if p.label == nil {
                    throw ScriptRuntimeError("extraneous argument label '\(have!):' in call to \(code.signature)")
                }
                throw ScriptRuntimeError("incorrect argument label in call to \(code.signature) (have '\(have!):', expected '\(p.label!):')")
            }
            throw ScriptRuntimeError("missing argument for parameter \(p.label.map { "'\($0)'" } ?? "#\(position + 1)") in call to \(code.signature)")
        }
        if next < arguments.count {
            let extra = arguments[next]
            throw ScriptRuntimeError("extra argument\(extra.label.map { " '\($0)'" } ?? "") in call to \(code.signature)")
        }
    }

    private func labelsMatch(_ code: CompiledFunction, _ arguments: [Argument]) -> Bool {
        var next = 0
        for p in code.parameters {
            if next < arguments.count && arguments[next].label == p.label {
                next += 1
                if p.isVariadic { while next < arguments.count && arguments[next].label == nil { next += 1 } }
                continue
            }
            if p.defaultValue == nil && !p.isVariadic { return false }
        }
        return next == arguments.count
    }

    /// `Point(x: 1, y: 2)`, `Net()`: a memberwise initialiser for structs without `init`,
    /// else the declared `init` whose labels match.
    func construct(_ type: ScriptType, _ arguments: [Argument]) throws -> Value {
        var fields: [Value] = []
        fields.reserveCapacity(type.fieldNames.count)
        for (i, d) in type.fieldDefaults.enumerated() {
            var v = try d.map { try invoke($0, []) } ?? .void
            if type.fieldConvertsToDouble[i], case .int(let n) = v { v = .double(Double(n)) }
            fields.append(v)
        }
        var initializers = type.initializers
        var owner: ScriptType? = type
        while initializers.isEmpty, let parent = owner?.superType {
            initializers = parent.initializers
            owner = parent
        }
        if initializers.isEmpty {
            if type.isClass {
                if let missing = type.fieldDefaults.indices.first(where: { type.fieldDefaults[$0] == nil }) {
                    throw ScriptRuntimeError("class '\(type.name)' has no initializers and property '\(type.fieldNames[missing])' has no default value",
                                             suggestion: "add an init(...) that sets every property")
                }
                guard arguments.isEmpty else {
                    throw ScriptRuntimeError("'\(type.name)()' takes no arguments: the class has no init", suggestion: "add an init(...)")
                }
                return makeInstance(type, fields)
            }
            // Memberwise: every stored property except initialised constants, in order.
            var next = 0
            for i in type.fieldNames.indices where !(type.fieldConstant[i] && type.fieldDefaults[i] != nil) {
                let name = type.fieldNames[i]
                if next < arguments.count && arguments[next].label == name {
                    var v = arguments[next].value
                    if type.fieldConvertsToDouble[i], case .int(let n) = v { v = .double(Double(n)) }
                    fields[i] = v
                    next += 1
                } else if type.fieldDefaults[i] == nil {
                    if next < arguments.count {
                        throw ScriptRuntimeError("incorrect argument label in call to \(type.name).init (have '\(arguments[next].label ?? "_"):', expected '\(name):')",
                                                 suggestion: "the memberwise initializer is \(type.name)(\(memberwiseLabels(type)))")
                    }
                    throw ScriptRuntimeError("missing argument for parameter '\(name)' in call to \(type.name).init",
                                             suggestion: "the memberwise initializer is \(type.name)(\(memberwiseLabels(type)))")
                }
            }
            if next < arguments.count {
                throw ScriptRuntimeError("extra argument\(arguments[next].label.map { " '\($0)'" } ?? "") in call to \(type.name).init",
                                         suggestion: "the memberwise initializer is \(type.name)(\(memberwiseLabels(type)))")
            }
            return makeInstance(type, fields)
        }
        guard let chosen = initializers.first(where: { labelsMatch($0.code, arguments) }) else {
            let available = initializers.map { "init" + $0.code.labelList }.joined(separator: ", ")
            throw ScriptRuntimeError("no initializer of '\(type.name)' takes arguments \(describeLabels(arguments)); available: \(available)")
        }
        let instance = makeInstance(type, fields)
        let (_, frame) = try execute(chosen, arguments, self: instance)
        if type.isClass { return instance }
        return Interpreter.selfValue(of: chosen.code, in: frame)
    }

    private func memberwiseLabels(_ type: ScriptType) -> String {
        type.fieldNames.indices.filter { !(type.fieldConstant[$0] && type.fieldDefaults[$0] != nil) }
            .map { type.fieldNames[$0] + ":" }.joined(separator: " ")
    }

    private func makeInstance(_ type: ScriptType, _ fields: [Value]) -> Value {
        if type.isModule { return .module(ScriptModule(type: type, fields: fields, interpreter: self)) }
        if type.isClass { return .object(ScriptInstance(type: type, fields: fields)) }
        return .structInstance(StructInstance(typeName: type.name, fieldNames: type.fieldNames, fields: fields))
    }
}
