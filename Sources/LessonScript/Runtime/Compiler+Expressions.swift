import TensorEngine

/// A place that can be read, written and changed in place: a variable, a property, a
/// subscript or a tuple element. `modify` hands the value to `body` uniquely held, so that
/// `xs.append(x)` and `y[i, j] = v` do not copy the collection or tensor.
struct LValue {
    let get: Code
    let set: (Frame, Value) throws -> Void
    let modify: (Frame, (inout Value) throws -> Value) throws -> Value
}

extension Compiler {
    // MARK: Expressions

    func compileExpr(_ e: Expr) -> Code {
        let range = e.range
        switch e.kind {
        case .int(let v): let value = Value.int(v); return { _ in value }
        case .double(let v): let value = Value.double(v); return { _ in value }
        case .bool(let v): let value = Value.bool(v); return { _ in value }
        case .string(let v): let value = Value.string(v); return { _ in value }
        case .nil: return { _ in .nil }
        case .constant(let v): return { _ in v }
        case .implicitMember(let name): let value = Value.implicitMember(name); return { _ in value }
        case .builtin(let name, let body): let value = Value.function(BuiltinFunctionValue(name: name, body: body)); return { _ in value }
        case .operatorFunction(let op):
            let operation = BinaryOperator(rawValue: op)
            let value = Value.function(BuiltinFunctionValue(name: op) { args, _ in
                guard let operation, args.count == 2 else { throw ScriptRuntimeError("operator '\(op)' takes two arguments") }
                return try Value.apply(operation, args[0].value, args[1].value)
            })
            return { _ in value }
        case .interpolated(let parts):
            let codes: [Code] = parts.map { part in
                switch part {
                case .text(let s): let v = Value.string(s); return { _ in v }
                case .expr(let x): return compileExpr(x)
                }
            }
            return { f in
                var s = ""
                for c in codes {
                    let v = try c(f)
                    if case .string(let t) = v { s += t } else { s += v.printDescription }
                }
                return .string(s)
            }
        case .name(let ref):
            return compileRead(ref)
        case .array(let elements):
            let codes = elements.map(compileExpr)
            return { f in
                var values: [Value] = []
                values.reserveCapacity(codes.count)
                for c in codes { values.append(try c(f)) }
                return .array(values)
            }
        case .dictionary(let pairs):
            let codes = pairs.map { (compileExpr($0.key), compileExpr($0.value), $0.key.range) }
            return { f in
                var d = OrderedDictionary()
                for (k, v, r) in codes {
                    let key = try k(f)
                    guard HashableValue(key) != nil else {
                        throw self.fail("a dictionary key must be an Int, String, Bool or Double, not '\(key.typeDescription)'", r)
                    }
                    d[key] = try v(f)
                }
                return .dictionary(d)
            }
        case .tuple(let elements, let labels):
            let codes = elements.map(compileExpr)
            if codes.isEmpty { return { _ in .void } }
            return { f in .tuple(try codes.map { try $0(f) }, labels: labels) }
        case .unary(let op, let operand):
            let code = compileExpr(operand)
            if op == "!" {
                return { f in
                    let v = try code(f)
                    guard case .bool(let b) = v else {
                        throw self.fail("unary operator '!' cannot be applied to an operand of type '\(v.typeDescription)'", range)
                    }
                    return .bool(!b)
                }
            }
            return { f in
                do { return try Value.negate(try code(f)) } catch { throw Interpreter.locate(error, self.source, range) }
            }
        case .binary(let op, let l, let r):
            return compileBinary(op, l, r, range)
        case .ternary(let c, let a, let b):
            let test = compileCondition(c)
            let x = compileExpr(a), y = compileExpr(b)
            return { f in try test(f) ? try x(f) : try y(f) }
        case .range(let lower, let upper, let closed):
            let lo = lower.map(compileExpr), hi = upper.map(compileExpr)
            return { f in
                func bound(_ code: Code?) throws -> Int? {
                    guard let code else { return nil }
                    let v = try code(f)
                    guard case .int(let i) = v else {
                        throw self.fail("range bounds must be Int, not '\(v.typeDescription)'", range)
                    }
                    return i
                }
                let l = try bound(lo), u = try bound(hi)
                // Compared without `u + 1`, which overflows for `0...Int.max`.
                if let l, let u, closed ? (l > u && l - 1 > u) : l > u {
                    throw self.fail("range requires lowerBound <= upperBound, but \(l) > \(u)", range)
                }
                return .range(lower: l, upper: u, closed: closed)
            }
        case .call(let callee, let args):
            return compileCall(callee, args, range)
        case .member(let base, let name, _):
            let code = compileExpr(base)
            let cache = MemberCache()
            let rt = self.rt
            return { f in
                let b = try code(f)
                do { return try rt.getMember(b, name, cache) } catch { throw Interpreter.locate(error, self.source, range) }
            }
        case .tupleIndex(let base, let index):
            let code = compileExpr(base)
            return { f in
                let v = try code(f)
                guard case .tuple(let elements, _) = v else {
                    throw self.fail("value of type '\(v.typeDescription)' has no member '\(index)'", range)
                }
                guard index < elements.count else { throw self.fail("tuple has no element \(index); it has \(elements.count)", range) }
                return elements[index]
            }
        case .subscripted(let base, let args):
            let code = compileExpr(base)
            let indices = args.map { compileExpr($0.value) }
            let labels = args.map(\.label)
            let rt = self.rt
            return { f in
                let b = try code(f)
                let idx = try indices.map { try $0(f) }
                do { return try rt.getSubscript(b, idx, labels: labels) } catch { throw Interpreter.locate(error, self.source, range) }
            }
        case .closure(let decl):
            let code = compileFunction(decl, typeName: nil)
            let captures = captureMaker(decl.captures)
            return { f in .function(ScriptFunction(code: code, captures: captures(f))) }
        case .forceUnwrap(let x):
            let code = compileExpr(x)
            return { f in
                let v = try code(f)
                if case .nil = v { throw self.fail("unexpectedly found nil while unwrapping an Optional value", range) }
                return v
            }
        case .cast(let x, let type, let kind):
            let code = compileExpr(x)
            let name = type.text
            switch kind {
            case .plain:
                if type.isFloatingScalar || type.isFloatingArray { return { f in try code(f).convertedToDouble } }
                return code
            case .conditional:
                return { f in
                    let v = try code(f)
                    return v.isOfType(name) ? v : .nil
                }
            case .forced:
                return { f in
                    let v = try code(f)
                    guard v.isOfType(name) else {
                        throw self.fail("could not cast value of type '\(v.typeDescription)' to '\(name)'", range,
                                        suggestion: "use 'as?' and handle nil, or check with 'is' first")
                    }
                    return v
                }
            }
        case .typeCheck(let x, let type):
            let code = compileExpr(x)
            let name = type.text
            return { f in .bool(try code(f).isOfType(name)) }
        case .superInit(let args):
            return compileSuperInit(args, range)
        }
    }

    func compileRead(_ ref: NameReference) -> Code {
        switch ref.binding {
        case .local(let v):
            if v.isCaptured { let b = v.boxIndex; return { f in f.boxes[b].value } }
            let s = v.slot
            return { f in f.slots[s] }
        case .capture(let i, _):
            return { f in f.captures[i].value }
        case .global(let g):
            let i = g.index
            let cell = globals.cell(i)
            return { _ in cell.pointee }
        case .unresolved:
            let range = ref.range, name = ref.name
            return { _ in throw self.fail("unknown name '\(name)'", range) }
        }
    }

    private func compileBinary(_ op: String, _ l: Expr, _ r: Expr, _ range: SourceRange) -> Code {
        let lhs = compileExpr(l), rhs = compileExpr(r)
        switch op {
        case "&&", "||":
            let isAnd = op == "&&"
            return { f in
                let a = try lhs(f)
                guard case .bool(let x) = a else { throw self.fail("operands of '\(op)' must be Bool, not '\(a.typeDescription)'", l.range) }
                if isAnd != x { return .bool(x) }
                let b = try rhs(f)
                guard case .bool(let y) = b else { throw self.fail("operands of '\(op)' must be Bool, not '\(b.typeDescription)'", r.range) }
                return .bool(y)
            }
        case "??":
            return { f in
                let a = try lhs(f)
                if case .nil = a { return try rhs(f) }
                return a
            }
        default:
            break
        }
        guard let binary = BinaryOperator(rawValue: op) else {
            return { _ in throw self.fail("unsupported operator '\(op)'", range) }
        }
        let operation = arithmetic(binary, range)
        return { f in try operation(try lhs(f), try rhs(f)) }
    }

    /// The operation of a binary operator, with fast paths for Int and Double.
    func arithmetic(_ op: BinaryOperator, _ range: SourceRange) -> (Value, Value) throws -> Value {
        let source = self.source
        func slow(_ a: Value, _ b: Value) throws -> Value {
            do { return try Value.apply(op, a, b) } catch { throw Interpreter.locate(error, source, range) }
        }
        switch op {
        case .add:
            return { a, b in
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.addingReportingOverflow(y)
                    if !o { return .int(s) }
                }
                if case .double(let x) = a, case .double(let y) = b { return .double(x + y) }
                return try slow(a, b)
            }
        case .subtract:
            return { a, b in
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.subtractingReportingOverflow(y)
                    if !o { return .int(s) }
                }
                if case .double(let x) = a, case .double(let y) = b { return .double(x - y) }
                return try slow(a, b)
            }
        case .multiply:
            return { a, b in
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.multipliedReportingOverflow(by: y)
                    if !o { return .int(s) }
                }
                if case .double(let x) = a, case .double(let y) = b { return .double(x * y) }
                return try slow(a, b)
            }
        case .less:
            return { a, b in
                if case .int(let x) = a, case .int(let y) = b { return .bool(x < y) }
                return try slow(a, b)
            }
        case .lessEqual:
            return { a, b in
                if case .int(let x) = a, case .int(let y) = b { return .bool(x <= y) }
                return try slow(a, b)
            }
        case .greater:
            return { a, b in
                if case .int(let x) = a, case .int(let y) = b { return .bool(x > y) }
                return try slow(a, b)
            }
        case .greaterEqual:
            return { a, b in
                if case .int(let x) = a, case .int(let y) = b { return .bool(x >= y) }
                return try slow(a, b)
            }
        case .equal:
            return { a, b in
                if case .int(let x) = a, case .int(let y) = b { return .bool(x == y) }
                return try slow(a, b)
            }
        default:
            return slow
        }
    }

    // MARK: Places

    /// An lvalue for an assignable expression; nil for expressions that are not places.
    func compileLValue(_ e: Expr) -> LValue? {
        let range = e.range
        switch e.kind {
        case .name(let ref):
            var isConstant = false
            switch ref.binding {
            case .local(let v), .capture(_, let v): isConstant = v.isConstant
            case .global(let g): isConstant = g.isConstant || g.isDeclaration
            case .unresolved: return nil
            }
            let read = compileRead(ref)
            let name = ref.name
            if isConstant {
                // A constant holding a reference (class instance, module) can still have its
                // properties changed; one holding a value cannot.
                return LValue(get: read, set: { _, _ in
                    throw self.fail("cannot assign to value: '\(name)' is a 'let' constant", range)
                }, modify: { f, body in
                    var v = try read(f)
                    if v.isValueType {
                        throw self.fail(name == "self" ? "cannot mutate 'self': it is immutable in a non-mutating method"
                                        : "cannot mutate '\(name)': it is a 'let' constant", range,
                                        suggestion: name == "self" ? "mark the method 'mutating'" : "change 'let' to 'var' to make it mutable")
                    }
                    return try body(&v)
                })
            }
            switch ref.binding {
            case .local(let v) where !v.isCaptured:
                let s = v.slot
                return LValue(get: read, set: { f, value in f.slots[s] = value }, modify: { f, body in
                    var v = f.slots[s]
                    f.slots[s] = .void
                    defer { f.slots[s] = v }
                    return try body(&v)
                })
            case .local(let v):
                let b = v.boxIndex
                return LValue(get: read, set: { f, value in f.boxes[b].value = value }, modify: { f, body in
                    let box = f.boxes[b]
                    var v = box.value
                    box.value = .void
                    defer { box.value = v }
                    return try body(&v)
                })
            case .capture(let i, _):
                return LValue(get: read, set: { f, value in f.captures[i].value = value }, modify: { f, body in
                    let box = f.captures[i]
                    var v = box.value
                    box.value = .void
                    defer { box.value = v }
                    return try body(&v)
                })
            case .global(let g):
                let i = g.index
                let cell = globals.cell(i)
                return LValue(get: read, set: { _, value in cell.pointee = value }, modify: { _, body in
                    var v = cell.pointee
                    cell.pointee = .void
                    defer { cell.pointee = v }
                    return try body(&v)
                })
            case .unresolved:
                return nil
            }
        case .member(let baseExpr, let name, _):
            let base = gradientFlagBase(baseExpr, member: name) ?? lvalueOrTemporary(baseExpr)
            let cache = MemberCache()
            let rt = self.rt
            let source = self.source
            return LValue(get: { f in
                let b = try base.get(f)
                do { return try rt.getMember(b, name, cache) } catch { throw Interpreter.locate(error, source, range) }
            }, set: { f, value in
                _ = try base.modify(f) { b in
                    do { try rt.setMember(&b, name, value, cache) } catch { throw Interpreter.locate(error, source, range) }
                    return .void
                }
            }, modify: { f, body in
                try base.modify(f) { b in
                    do { return try rt.modifyMember(&b, name, cache, body) } catch { throw Interpreter.locate(error, source, range) }
                }
            })
        case .subscripted(let baseExpr, let args):
            let base = lvalueOrTemporary(baseExpr)
            let indexCodes = args.map { compileExpr($0.value) }
            let labels = args.map(\.label)
            let rt = self.rt
            let source = self.source
            return LValue(get: { f in
                let b = try base.get(f)
                let idx = try indexCodes.map { try $0(f) }
                do { return try rt.getSubscript(b, idx, labels: labels) } catch { throw Interpreter.locate(error, source, range) }
            }, set: { f, value in
                let idx = try indexCodes.map { try $0(f) }
                _ = try base.modify(f) { b in
                    do { try rt.setSubscript(&b, idx, value) } catch { throw Interpreter.locate(error, source, range) }
                    return .void
                }
            }, modify: { f, body in
                let idx = try indexCodes.map { try $0(f) }
                return try base.modify(f) { b in
                    do {
                        // `counts[key, default: 0] += 1`: read with the default, store under the key.
                        if labels.count == 2, labels[1] == "default", case .dictionary = b {
                            var element = try rt.getSubscript(b, idx, labels: labels)
                            let result = try body(&element)
                            try rt.setSubscript(&b, [idx[0]], element)
                            return result
                        }
                        return try rt.modifySubscript(&b, idx, body)
                    } catch { throw Interpreter.locate(error, source, range) }
                }
            })
        case .tupleIndex(let baseExpr, let index):
            let base = lvalueOrTemporary(baseExpr)
            let read = compileExpr(e)
            func change(_ b: inout Value, _ body: (inout Value) throws -> Value) throws -> Value {
                guard case .tuple(var elements, let labels) = b, index < elements.count else {
                    throw fail("value of type '\(b.typeDescription)' has no element \(index)", range)
                }
                b = .void
                var element = elements[index]
                defer { elements[index] = element; b = .tuple(elements, labels: labels) }
                return try body(&element)
            }
            return LValue(get: read, set: { f, value in
                _ = try base.modify(f) { b in try change(&b) { $0 = value; return .void } }
            }, modify: { f, body in
                try base.modify(f) { b in try change(&b, body) }
            })
        default:
            return nil
        }
    }

    /// `p.requiresGrad = false` (or `p.grad = nil`) where `p` is a constant holding a
    /// parameter's value (`for p in net.parameters`): the parameter is shared, as a PyTorch
    /// tensor is, so the change goes to it and the constant itself is left as it is.
    func gradientFlagBase(_ baseExpr: Expr, member: String) -> LValue? {
        guard member == "requiresGrad" || member == "grad", case .name = baseExpr.kind,
              let place = compileLValue(baseExpr) else { return nil }
        return LValue(get: place.get, set: place.set, modify: { f, body in
            if case .tensor(let t) = try place.get(f), t.sourceParameter != nil {
                var copy = Value.tensor(t)
                return try body(&copy)
            }
            return try place.modify(f, body)
        })
    }

    /// The base of a property or subscript place: a place itself, or a temporary value
    /// (changes to a temporary are only visible through references it holds).
    func lvalueOrTemporary(_ e: Expr) -> LValue {
        if let lvalue = compileLValue(e) { return lvalue }
        let code = compileExpr(e)
        return LValue(get: code, set: { _, _ in }, modify: { f, body in
            var v = try code(f)
            return try body(&v)
        })
    }

    // MARK: Assignment

    func compileAssignment(_ target: Expr, _ op: String, _ valueExpr: Expr, opRange: SourceRange, range: SourceRange) -> StatementCode {
        let value = compileExpr(valueExpr)
        if case .tuple(let elements, _) = target.kind {
            // `(a, b) = (b, a)` and `_ = f()`.
            if elements.isEmpty { return { f in _ = try value(f); return .normal } }
            let places = elements.map { compileLValue($0) ?? lvalueOrTemporary($0) }
            return { f in
                let v = try value(f)
                guard case .tuple(let parts, _) = v, parts.count == places.count else {
                    throw self.fail("cannot assign a value of type '\(v.typeDescription)' to a tuple of \(places.count) places", range)
                }
                for (p, x) in zip(places, parts) { try p.set(f, x) }
                return .normal
            }
        }
        guard let place = compileLValue(target) else {
            return { _ in throw self.fail("cannot assign to this expression", target.range) }
        }
        if op == "=" {
            // Fast path: a plain local variable.
            if case .name(let ref) = target.kind, case .local(let v) = ref.binding, !v.isCaptured, !v.isConstant {
                let s = v.slot
                return { f in f.slots[s] = try value(f); return .normal }
            }
            return { f in try place.set(f, try value(f)); return .normal }
        }
        guard let binary = BinaryOperator(rawValue: String(op.dropLast())) else {
            return { _ in throw self.fail("unsupported operator '\(op)'", opRange) }
        }
        let operation = arithmetic(binary, opRange)
        if let direct = compileDirectCompoundAssignment(binary, target, valueExpr, general: operation) { return direct }
        // Fast paths: `s += i` on a plain local or global.
        if case .name(let ref) = target.kind {
            switch ref.binding {
            case .local(let v) where !v.isCaptured && !v.isConstant:
                let s = v.slot
                return { f in
                    let r = try value(f)
                    f.slots[s] = try operation(f.slots[s], r)
                    return .normal
                }
            case .global(let g) where !g.isConstant && !g.isDeclaration:
                let i = g.index
                let cell = globals.cell(i)
                return { f in
                    let r = try value(f)
                    cell.pointee = try operation(cell.pointee, r)
                    return .normal
                }
            default: break
            }
        }
        return { f in
            let r = try value(f)
            _ = try place.modify(f) { old in
                old = try operation(old, r)
                return .void
            }
            return .normal
        }
    }
}
