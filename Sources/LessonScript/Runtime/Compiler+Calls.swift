import TensorEngine

extension Compiler {
    func compileArguments(_ args: [CallArgument]) -> (Frame) throws -> [Argument] {
        let codes = args.map { (label: $0.label, code: compileExpr($0.value)) }
        switch codes.count {
        case 0: return { _ in [] }
        case 1:
            let (label, code) = codes[0]
            return { f in [Argument(label: label, value: try code(f))] }
        default:
            return { f in
                var result: [Argument] = []
                result.reserveCapacity(codes.count)
                for (label, code) in codes { result.append(Argument(label: label, value: try code(f))) }
                return result
            }
        }
    }

    func compileCall(_ callee: Expr, _ args: [CallArgument], _ range: SourceRange) -> Code {
        let arguments = compileArguments(args)
        let rt = self.rt
        let source = self.source
        switch callee.kind {
        case .builtin(_, let body):
            return { f in
                let a = try arguments(f)
                do { return try body(a, rt) } catch { throw Interpreter.locate(error, source, range) }
            }
        case .member(let base, let name, _):
            return compileMethodCall(base, name, arguments, range)
        default:
            let calleeCode = compileExpr(callee)
            let site = CallSite(source: source, range: range)
            return { f in
                let function = try calleeCode(f)
                return try rt.callValue(function, try arguments(f), site: site)
            }
        }
    }

    /// `base.name(args)`: a script method, a closure stored in a property, or a built-in
    /// method (written back to `base` when it mutates, like `xs.append(x)`).
    private func compileMethodCall(_ baseExpr: Expr, _ name: String, _ arguments: @escaping (Frame) throws -> [Argument], _ range: SourceRange) -> Code {
        let base = lvalueOrTemporary(baseExpr)
        let cache = MemberCache()
        let site = CallSite(source: source, range: range)
        let rt = self.rt
        let source = self.source
        return { f in
            var receiver = try base.get(f)
            let args = try arguments(f)
            switch receiver {
            case .structInstance(let s):
                if let type = rt.scriptType(named: s.typeName, cache), let method = type.method(name) {
                    if method.code.selfSlot != nil, type.isClass == false, isMutating(method) {
                        receiver = .void
                        return try base.modify(f) { selfValue in
                            do {
                                let (result, frame) = try rt.execute(method, args, self: selfValue)
                                selfValue = Interpreter.selfValue(of: method.code, in: frame)
                                return result
                            } catch {
                                throw Interpreter.addCall(Interpreter.locate(error, source, range), method.code.signature, site)
                            }
                        }
                    }
                    do { return try rt.execute(method, args, self: receiver).result } catch {
                        throw Interpreter.addCall(Interpreter.locate(error, source, range), method.code.signature, site)
                    }
                }
            case .object(let o as ScriptInstance):
                if let method = o.type.method(name) {
                    do { return try rt.execute(method, args, self: receiver).result } catch {
                        throw Interpreter.addCall(Interpreter.locate(error, source, range), method.code.signature, site)
                    }
                }
                if let i = o.fieldNames.firstIndex(of: name) { return try rt.callValue(o.field(i), args, site: site) }
            case .module(let o as ScriptModule):
                if let method = o.type.method(name) {
                    do { return try rt.execute(method, args, self: receiver).result } catch {
                        throw Interpreter.addCall(Interpreter.locate(error, source, range), method.code.signature, site)
                    }
                }
                if let i = o.fieldNames.firstIndex(of: name) { return try rt.callValue(o.field(i), args, site: site) }
            case .tuple(let elements, let labels):
                if let i = labels.firstIndex(of: name), i < elements.count { return try rt.callValue(elements[i], args, site: site) }
            default:
                break
            }
            if let (body, mutating) = rt.libraryMethod(receiver, name, cache) {
                if mutating {
                    receiver = .void
                    return try base.modify(f) { value in
                        do { return try body(&value, args, rt) } catch { throw Interpreter.locate(error, source, range) }
                    }
                }
                do { return try body(&receiver, args, rt) } catch { throw Interpreter.locate(error, source, range) }
            }
            if let property = rt.libraryProperty(receiver, name, cache) {
                let value: Value
                do { value = try property.get(receiver) } catch { throw Interpreter.locate(error, source, range) }
                return try rt.callValue(value, args, site: site)
            }
            throw Interpreter.locate(rt.noMember(receiver, name), source, range)
        }
    }

    /// `super.init(...)` in a class initialiser: runs the script superclass's initialiser on
    /// the same object; for `Module` and other protocols there is nothing to run.
    func compileSuperInit(_ args: [CallArgument], _ range: SourceRange) -> Code {
        let arguments = compileArguments(args)
        let typeName = currentType?.name
        let rt = self.rt
        let site = CallSite(source: source, range: range)
        let source = self.source
        let selfVariable = currentSelf
        return { f in
            guard let typeName, let superType = rt.types[typeName]?.superType else { return .void }
            let args = try arguments(f)
            var owner: ScriptType? = superType
            while let t = owner, t.initializers.isEmpty { owner = t.superType }
            guard let initializers = owner?.initializers, !initializers.isEmpty else {
                if !args.isEmpty { throw source.diagnostic(.runtime, "'\(superType.name)' has no init taking arguments", at: range) }
                return .void
            }
            guard let selfVariable, !selfVariable.isCaptured else {
                throw source.diagnostic(.unsupported, "not supported in lesson cells: 'super.init' inside a closure", at: range)
            }
            let selfValue = f.slots[selfVariable.slot]
            var lastError: Error?
            for initializer in initializers {
                do {
                    _ = try rt.execute(initializer, args, self: selfValue)
                    return .void
                } catch let e as ScriptRuntimeError {
                    lastError = e
                } catch {
                    throw Interpreter.addCall(error, initializer.code.signature, site)
                }
            }
            throw Interpreter.locate(lastError!, source, range)
        }
    }
}

/// Whether a struct method changes `self` (declared `mutating`).
private func isMutating(_ method: ScriptFunction) -> Bool { method.code.isMutating }
