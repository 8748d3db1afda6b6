import TensorEngine

/// Compiles a resolved cell into Swift closures ("closure compilation"): every node
/// becomes a closure that reads slots by index, so running a cell does no name lookups and
/// no tree walking.
final class Compiler {
    unowned let rt: Interpreter
    let source: SourceText
    let globals: GlobalTable
    let defaultWrappers: [ObjectIdentifier: FunctionDecl]
    /// The type whose methods are being compiled (for `super.init`).
    var currentType: TypeDecl?
    /// `self` of the method being compiled (for `super.init`).
    var currentSelf: LocalVariable?

    init(interpreter: Interpreter, source: SourceText, defaultWrappers: [ObjectIdentifier: FunctionDecl]) {
        rt = interpreter
        self.source = source
        globals = interpreter.globals
        self.defaultWrappers = defaultWrappers
    }

    func fail(_ message: String, _ range: SourceRange, suggestion: String? = nil) -> ScriptDiagnostic {
        source.diagnostic(.runtime, message, at: range, suggestion: suggestion)
    }

    /// The cell: declarations of functions and types first (they may be used above their
    /// declaration), then the statements in order. Returns the last expression's value.
    func compileCell(_ statements: [Stmt]) -> Code {
        let declarations = statements.filter {
            if case .function = $0.kind { return true }
            if case .type = $0.kind { return true }
            return false
        }
        var rest = statements.filter { s in !declarations.contains { $0 === s } }
        var last: Code?
        if let final = rest.last, case .expression(let e) = final.kind {
            last = compileExpr(e)
            rest.removeLast()
        }
        let first = compileSequence(declarations.map(compileStatement) + rest.map(compileStatement))
        return { f in
            _ = try first(f)
            return try last?(f) ?? .void
        }
    }

    func compileSequence(_ codes: [StatementCode]) -> StatementCode {
        switch codes.count {
        case 0: return { _ in .normal }
        case 1: return codes[0]
        case 2:
            let a = codes[0], b = codes[1]
            return { f in
                let r = try a(f)
                if case .normal = r { return try b(f) }
                return r
            }
        default:
            return { f in
                for c in codes {
                    let r = try c(f)
                    if case .normal = r { continue }
                    return r
                }
                return .normal
            }
        }
    }

    func compileBlock(_ statements: [Stmt]) -> StatementCode {
        compileSequence(statements.map(compileStatement))
    }

    // MARK: Statements

    func compileStatement(_ s: Stmt) -> StatementCode {
        switch s.kind {
        case .expression(let e):
            let code = compileExpr(e)
            return { f in _ = try code(f); return .normal }
        case .variables(_, let bindings):
            let codes: [StatementCode] = bindings.map { b in
                let binder = compilePatternBinder(b.pattern)
                guard let initializer = b.initializer else {
                    let empty: Value = b.type?.isOptional == true ? .nil : .void
                    return { f in try binder(f, empty); return .normal }
                }
                let value = compileExpr(initializer)
                let toDouble = b.type.map { $0.isFloatingScalar || $0.isFloatingArray } ?? false
                if toDouble {
                    return { f in try binder(f, try value(f).convertedToDouble); return .normal }
                }
                if case .name(let v) = b.pattern, case .local(let local) = v.target, !local.isCaptured {
                    let slot = local.slot
                    return { f in f.slots[slot] = try value(f); return .normal }
                }
                return { f in try binder(f, try value(f)); return .normal }
            }
            return compileSequence(codes)
        case .assignment(let target, let op, let value, let opRange):
            return compileAssignment(target, op, value, opRange: opRange, range: s.range)
        case .function(let decl):
            return compileFunctionDeclaration(decl)
        case .type(let decl):
            return compileTypeDeclaration(decl)
        case .ifStatement(let conditions, let body, let elseBranch):
            let test = compileConditions(conditions)
            let then = compileBlock(body)
            if let elseBranch {
                let otherwise = compileBlock(elseBranch)
                return { f in try test(f) ? try then(f) : try otherwise(f) }
            }
            return { f in try test(f) ? try then(f) : .normal }
        case .guardStatement(let conditions, let body):
            let test = compileConditions(conditions)
            let otherwise = compileBlock(body)
            let range = s.range
            return { f in
                if try test(f) { return .normal }
                let r = try otherwise(f)
                if case .normal = r { throw self.fail("'guard' body fell through", range) }
                return r
            }
        case .whileLoop(let conditions, let body):
            let test = compileConditions(conditions)
            let code = compileBlock(body)
            let host = rt.host
            return { f in
                while try test(f) {
                    try host.checkCancellation()
                    switch try code(f) {
                    case .breakLoop: return .normal
                    case .returnValue: return .returnValue
                    default: continue
                    }
                }
                return .normal
            }
        case .repeatWhile(let body, let condition):
            let test = compileCondition(condition)
            let code = compileBlock(body)
            let host = rt.host
            return { f in
                repeat {
                    try host.checkCancellation()
                    switch try code(f) {
                    case .breakLoop: return .normal
                    case .returnValue: return .returnValue
                    default: break
                    }
                } while try test(f)
                return .normal
            }
        case .forIn(let pattern, let sequence, let whereClause, let body):
            return compileFor(pattern, sequence, whereClause, body, range: s.range)
        case .block(let body):
            return compileBlock(body)
        case .breakStatement:
            return { _ in .breakLoop }
        case .continueStatement:
            return { _ in .continueLoop }
        case .returnStatement(let value):
            guard let value else { return { f in f.returnValue = .void; return .returnValue } }
            let code = compileExpr(value)
            return { f in f.returnValue = try code(f); return .returnValue }
        case .importDeclaration:
            return { _ in .normal }
        }
    }

    func compileCondition(_ e: Expr) -> (Frame) throws -> Bool {
        let code = compileExpr(e)
        let range = e.range
        return { f in
            let v = try code(f)
            if case .bool(let b) = v { return b }
            throw self.fail("condition must be a Bool, not '\(v.typeDescription)'", range,
                            suggestion: conditionSuggestion(v))
        }
    }

    private func compileConditions(_ conditions: [Condition]) -> (Frame) throws -> Bool {
        let tests: [(Frame) throws -> Bool] = conditions.map { c in
            switch c {
            case .expression(let e): return compileCondition(e)
            case .optionalBinding(let p, let e, _):
                let code = compileExpr(e)
                let binder = compilePatternBinder(p)
                return { f in
                    let v = try code(f)
                    if case .nil = v { return false }
                    try binder(f, v)
                    return true
                }
            }
        }
        if tests.count == 1 { return tests[0] }
        return { f in
            for t in tests where !(try t(f)) { return false }
            return true
        }
    }

    // MARK: Variables and patterns

    /// Stores a value into a declared variable.
    func compileStore(_ target: VariableTarget) -> (Frame, Value) -> Void {
        switch target {
        case .none: return { _, _ in }
        case .global(let g):
            let i = g.index
            let cell = globals.cell(i)
            return { _, v in cell.pointee = v }
        case .local(let v):
            if v.isCaptured {
                let b = v.boxIndex
                return { f, value in f.boxes[b] = Box(value) }
            }
            let s = v.slot
            return { f, value in f.slots[s] = value }
        }
    }

    func compilePatternBinder(_ p: Pattern) -> (Frame, Value) throws -> Void {
        switch p {
        case .wildcard: return { _, _ in }
        case .name(let v):
            let store = compileStore(v.target)
            return { f, value in store(f, value) }
        case .tuple(let elements, let range):
            let binders = elements.map(compilePatternBinder)
            let count = elements.count
            return { f, value in
                let parts: [Value]
                switch value {
                case .tuple(let e, _): parts = e
                case .array(let e): parts = e
                default: throw self.fail("cannot destructure a value of type '\(value.typeDescription)' into a tuple of \(count)", range)
                }
                guard parts.count == count else {
                    throw self.fail("tuple pattern has \(count) elements but the value has \(parts.count)", range)
                }
                for (b, v) in zip(binders, parts) { try b(f, v) }
            }
        }
    }

    // MARK: Loops

    private func compileFor(_ pattern: Pattern, _ sequence: Expr, _ whereClause: Expr?, _ body: [Stmt], range: SourceRange) -> StatementCode {
        let sequenceCode = compileExpr(sequence)
        let binder = compilePatternBinder(pattern)
        let code = compileBlock(body)
        let test = whereClause.map(compileCondition)
        let host = rt.host
        let direct = directPlace(pattern)
        let sequenceRange = sequence.range
        let rt = self.rt
        return { f in
            let seq = try sequenceCode(f)
            // The common case first: a counting loop, with no allocation per iteration.
            if case .range(let lower, let upper, let closed) = seq {
                guard let lower else { throw self.fail("cannot iterate over a range without a lower bound", sequenceRange) }
                guard let upper else { throw self.fail("cannot iterate over an unbounded range '\(lower)...'", sequenceRange) }
                if closed && upper == Int.max { throw self.fail("range upper bound overflows Int", sequenceRange) }
                let end = closed ? upper + 1 : upper
                if let direct {
                    return try self.runDirectRangeLoop(direct, lower: lower, end: end, test: test, body: code, host: host, frame: f)
                }
                var i = lower
                while i < end {
                    try host.checkCancellation()
                    try binder(f, .int(i))
                    i += 1
                    if let test, !(try test(f)) { continue }
                    switch try code(f) {
                    case .breakLoop: return .normal
                    case .returnValue: return .returnValue
                    default: continue
                    }
                }
                return .normal
            }
            var result = Flow.normal
            let each: (Value) throws -> Bool = { v in
                try host.checkCancellation()
                try binder(f, v)
                if let test, !(try test(f)) { return true }
                switch try code(f) {
                case .breakLoop: return false
                case .returnValue: result = .returnValue; return false
                default: return true
                }
            }
            switch seq {
            case .array(let elements):
                for e in elements where !(try each(e)) { break }
            case .dictionary(let d):
                for (k, v) in zip(d.keys, d.values) where !(try each(.tuple([k, v], labels: ["key", "value"]))) { break }
            case .string(let s):
                for c in s where !(try each(.string(String(c)))) { break }
            case .tensor(let t):
                guard t.rank > 0 else { throw self.fail("cannot iterate over a 0-d tensor", sequenceRange) }
                for i in 0..<t.shape[0] {
                    let row: Tensor
                    do { row = try t.slice([.at(i)]) } catch { throw Interpreter.locate(error, self.source, sequenceRange) }
                    if !(try each(.tensor(row))) { break }
                }
            case .module(let net as Sequential):
                // `for layer in net`, as iterating an `nn.Sequential`.
                for layer in net.layers where !(try each(.module(layer))) { break }
            case .native(let n as IterableNativeObject):
                let next: () throws -> Value?
                do { next = try n.makeIterator(context: rt) } catch { throw Interpreter.locate(error, self.source, sequenceRange) }
                while true {
                    let v: Value?
                    do { v = try next() } catch { throw Interpreter.locate(error, self.source, sequenceRange) }
                    guard let v, try each(v) else { break }
                }
            default:
                throw self.fail("for-in loop requires a sequence, but '\(seq.typeDescription)' is not one", sequenceRange,
                                suggestion: { if case .int = seq { return "to count, write 'for i in 0..<n'" }; return nil }())
            }
            return result
        }
    }

    // MARK: Functions

    /// Compiles a function body once; values of it are made where the declaration runs.
    func compileFunction(_ decl: FunctionDecl, typeName: String?) -> CompiledFunction {
        var parameters: [CompiledFunction.Parameter] = decl.parameters.map { p in
            let v = p.variable!
            return CompiledFunction.Parameter(label: p.label, name: p.name, slot: v.slot, boxIndex: v.isCaptured ? v.boxIndex : -1,
                                              defaultValue: p.defaultValue.map(compileExpr), isVariadic: p.isVariadic,
                                              convertsToDouble: p.type.map { $0.isFloatingScalar || $0.isFloatingArray } ?? false)
        }
        if decl.isClosure && parameters.isEmpty {
            parameters = decl.anonymousVariables.map { v in
                CompiledFunction.Parameter(label: "$", name: v.name, slot: v.slot, boxIndex: v.isCaptured ? v.boxIndex : -1,
                                           defaultValue: nil, isVariadic: false, convertsToDouble: false)
            }
        }
        let signature: String
        if decl.isClosure { signature = "closure" } else if let typeName {
            signature = decl.isInitializer ? "\(typeName).init" + "(" + decl.parameters.map { ($0.label ?? "_") + ":" }.joined() + ")" : "\(typeName).\(decl.signature)"
        } else {
            signature = decl.signature
        }
        let selfVariable = decl.selfVariable
        let compiled = CompiledFunction(
            name: decl.name, signature: signature, parameters: parameters, isClosure: decl.isClosure,
            slotCount: decl.localCount, boxCount: decl.boxCount, selfSlot: selfVariable?.slot,
            selfBox: selfVariable.map { $0.isCaptured ? $0.boxIndex : -1 } ?? -1,
            returnsDouble: decl.returnType?.isFloatingScalar ?? false, source: source, range: decl.range)
        // A body that is a single expression returns it (Swift's implicit return).
        compiled.isMutating = decl.isMutating
        let savedSelf = currentSelf
        currentSelf = decl.selfVariable ?? (decl.isClosure ? currentSelf : nil)
        defer { currentSelf = savedSelf }
        var body = decl.body
        if body.count == 1, case .expression(let e) = body[0].kind, !decl.isInitializer {
            body = [Stmt(.returnStatement(e), body[0].range)]
        }
        compiled.body = compileBlock(body)
        return compiled
    }

    /// Makes the captured boxes of a function value from the current frame.
    func captureMaker(_ sources: [CaptureSource]) -> (Frame) -> ContiguousArray<Box> {
        if sources.isEmpty { return { _ in [] } }
        return { f in
            var boxes = ContiguousArray<Box>()
            boxes.reserveCapacity(sources.count)
            for s in sources {
                switch s {
                case .local(let v): boxes.append(f.boxes[v.boxIndex])
                case .capture(let i): boxes.append(f.captures[i])
                }
            }
            return boxes
        }
    }

    private func compileFunctionDeclaration(_ decl: FunctionDecl) -> StatementCode {
        let code = compileFunction(decl, typeName: nil)
        let captures = captureMaker(decl.captures)
        let store = compileStore(decl.target)
        // A local function that calls itself captures its own box: make it first.
        if case .local(let v) = decl.target, v.isCaptured {
            let b = v.boxIndex
            return { f in
                let box = Box(.void)
                f.boxes[b] = box
                box.value = .function(ScriptFunction(code: code, captures: captures(f)))
                return .normal
            }
        }
        return { f in
            store(f, .function(ScriptFunction(code: code, captures: captures(f))))
            return .normal
        }
    }

    private func compileTypeDeclaration(_ decl: TypeDecl) -> StatementCode {
        let saved = currentType
        currentType = decl
        defer { currentType = saved }
        let ownProperties = decl.properties
        let defaults: [(CompiledFunction, (Frame) -> ContiguousArray<Box>)?] = ownProperties.map { p in
            guard let d = p.defaultValue, let wrapper = defaultWrappers[ObjectIdentifier(d)] else { return nil }
            return (compileFunction(wrapper, typeName: decl.name), captureMaker(wrapper.captures))
        }
        func functions(_ list: [FunctionDecl]) -> [(String, CompiledFunction, (Frame) -> ContiguousArray<Box>)] {
            list.map { ($0.name, compileFunction($0, typeName: decl.name), captureMaker($0.captures)) }
        }
        let methods = functions(decl.methods)
        let computed = functions(decl.computed)
        let initializers = functions(decl.initializers)
        let store = compileStore(decl.target)
        let superName = decl.superclass?.name
        let rt = self.rt
        return { f in
            let superType = superName.flatMap { rt.types[$0] }
            var names = superType?.fieldNames ?? []
            var defaultValues = superType?.fieldDefaults ?? []
            var constants = superType?.fieldConstant ?? []
            var toDouble = superType?.fieldConvertsToDouble ?? []
            for (p, d) in zip(ownProperties, defaults) {
                names.append(p.name)
                defaultValues.append(d.map { ScriptFunction(code: $0.0, captures: $0.1(f)) })
                constants.append(p.isConstant)
                toDouble.append(p.type.map { $0.isFloatingScalar || $0.isFloatingArray } ?? false)
            }
            let type = ScriptType(name: decl.name, isClass: decl.isClass, isModule: decl.isModule, fieldNames: names,
                                  fieldDefaults: defaultValues, fieldConstant: constants, fieldConvertsToDouble: toDouble,
                                  superType: superType)
            for (name, code, captures) in methods { type.methods[name] = ScriptFunction(code: code, captures: captures(f)) }
            for (name, code, captures) in computed { type.computed[name] = ScriptFunction(code: code, captures: captures(f)) }
            type.initializers = initializers.map { ScriptFunction(code: $0.1, captures: $0.2(f)) }
            rt.types[decl.name] = type
            store(f, .function(TypeConstructor(type: type)))
            return .normal
        }
    }
}

/// A hint for a non-Bool condition.
func conditionSuggestion(_ v: Value) -> String? {
    switch v {
    case .int, .double: return "compare explicitly, e.g. 'x != 0'"
    case .nil: return "compare with nil, e.g. 'x != nil', or use 'if let'"
    case .tensor: return "reduce the tensor to a Bool, e.g. '(x > 0).all()' or 'x.item() > 0'"
    default: return nil
    }
}
