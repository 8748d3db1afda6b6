import TensorEngine

/// A call site's memory of the last lookup, so that repeated member accesses and method
/// calls in a loop do not look names up again.
final class MemberCache {
    var fieldIndex = -1
    var typeName = ""
    var type: ScriptType?
    var kind: ValueKind?
    var nativeTypeName = ""
    var property: BuiltinLibrary.Property?
    var method: (body: BuiltinLibrary.Method, isMutating: Bool)?
}

extension Value {
    /// Value types are copied on assignment; a `let` holding one cannot be changed.
    var isValueType: Bool {
        switch self {
        case .module, .function, .object, .native, .implicitMember: return false
        default: return true
        }
    }
}

extension Interpreter {
    func scriptType(named name: String, _ cache: MemberCache) -> ScriptType? {
        if let t = cache.type, cache.typeName == name { return t }
        let t = types[name]
        cache.type = t
        cache.typeName = name
        return t
    }

    private func fieldIndex(_ names: [String], _ name: String, _ cache: MemberCache) -> Int? {
        let i = cache.fieldIndex
        if i >= 0 && i < names.count && names[i] == name { return i }
        guard let found = names.firstIndex(of: name) else { return nil }
        cache.fieldIndex = found
        return found
    }

    private func libraryKey(_ value: Value) -> String {
        switch value {
        case .native(let n): return n.typeName
        case .module(let m): return m.typeName
        default: return ""
        }
    }

    func libraryProperty(_ base: Value, _ name: String, _ cache: MemberCache) -> BuiltinLibrary.Property? {
        let kind = base.kind
        let key = libraryKey(base)
        if cache.kind == kind && cache.nativeTypeName == key, let p = cache.property { return p }
        guard let p = library.property(for: base, named: name) else { return nil }
        cache.kind = kind; cache.nativeTypeName = key; cache.property = p; cache.method = nil
        return p
    }

    func libraryMethod(_ base: Value, _ name: String, _ cache: MemberCache) -> (body: BuiltinLibrary.Method, isMutating: Bool)? {
        let kind = base.kind
        let key = libraryKey(base)
        if cache.kind == kind && cache.nativeTypeName == key, let m = cache.method { return m }
        guard let m = library.method(for: base, named: name) else { return nil }
        cache.kind = kind; cache.nativeTypeName = key; cache.method = m; cache.property = nil
        return m
    }

    func noMember(_ base: Value, _ name: String) -> ScriptRuntimeError {
        var candidates = library.memberNames(for: base)
        switch base {
        case .structInstance(let s): candidates += types[s.typeName]?.memberNames ?? s.fieldNames
        case .object(let o as ScriptInstance): candidates += o.type.memberNames
        case .module(let m as ScriptModule): candidates += m.type.memberNames
        case .tuple(_, let labels): candidates += labels.compactMap { $0 }
        default: break
        }
        let message = "value of type '\(base.typeDescription)' has no member '\(name)'"
        if let suggestion = Interpreter.pytorchSpellingHint(base, name) { return ScriptRuntimeError(message, suggestion: suggestion) }
        return ScriptRuntimeError(message + didYouMean(name, candidates))
    }

    /// What to write instead of a PyTorch spelling that has no lessonbook member: the
    /// in-place `_` methods (`zero_`, `fill_`, `add_`, ...).
    static func pytorchSpellingHint(_ base: Value, _ name: String) -> String? {
        guard case .tensor = base, name.hasSuffix("_"), name.count > 1 else { return nil }
        switch name {
        case "zero_": return "tensors are values in lessonbook: assign a new one, as in w = zerosLike(w)"
        case "fill_": return "tensors are values in lessonbook: assign a new one, as in w = full(w.shape, 0.5)"
        case "requires_grad_": return "set w.requiresGrad = true"
        default:
            return "lessonbook has no in-place '_' methods: assign the result instead, as in w = w.\(name.dropLast())(...) or w += x"
        }
    }

    // MARK: Properties

    /// `base.name`.
    func getMember(_ base: Value, _ name: String, _ cache: MemberCache) throws -> Value {
        switch base {
        case .structInstance(let s):
            if let i = fieldIndex(s.fieldNames, name, cache) { return s.fields[i] }
            if let type = scriptType(named: s.typeName, cache) {
                if let c = type.computedProperty(name) { return try execute(c, [], self: base).result }
                if let m = type.method(name) { return .function(m.binding(base)) }
            }
        case .object(let o as ScriptInstance):
            if let i = fieldIndex(o.fieldNames, name, cache) { return o.field(i) }
            if let c = o.type.computedProperty(name) { return try execute(c, [], self: base).result }
            if let m = o.type.method(name) { return .function(m.binding(base)) }
        case .module(let o as ScriptModule):
            if let i = fieldIndex(o.fieldNames, name, cache) { return o.field(i) }
            if let c = o.type.computedProperty(name) { return try execute(c, [], self: base).result }
            if let m = o.type.method(name) { return .function(m.binding(base)) }
        case .tuple(let elements, let labels):
            if let i = labels.firstIndex(of: name), i < elements.count { return elements[i] }
        default:
            break
        }
        if let p = libraryProperty(base, name, cache) { return try p.get(base) }
        if let m = libraryMethod(base, name, cache) {
            return .function(BoundBuiltinMethod(name: name, receiver: base, body: m.body))
        }
        throw noMember(base, name)
    }

    /// `base.name = value`, with `base` held uniquely by the caller.
    func setMember(_ base: inout Value, _ name: String, _ value: Value, _ cache: MemberCache) throws {
        switch base {
        case .structInstance(var s):
            if let i = fieldIndex(s.fieldNames, name, cache) {
                base = .void
                s.fields[i] = convert(value, forField: i, ofType: s.typeName, cache)
                base = .structInstance(s)
                return
            }
            if let type = scriptType(named: s.typeName, cache), type.computedProperty(name) != nil {
                throw ScriptRuntimeError("cannot assign to property: '\(name)' is a get-only property")
            }
        case .object(let o as ScriptInstance):
            if let i = fieldIndex(o.fieldNames, name, cache) {
                try o.setField(i, o.type.fieldConvertsToDouble[i] ? value.convertedToDouble : value)
                return
            }
            if o.type.computedProperty(name) != nil { throw ScriptRuntimeError("cannot assign to property: '\(name)' is a get-only property") }
        case .module(let o as ScriptModule):
            if let i = fieldIndex(o.fieldNames, name, cache) {
                try o.setField(i, o.type.fieldConvertsToDouble[i] ? value.convertedToDouble : value)
                return
            }
            if o.type.computedProperty(name) != nil { throw ScriptRuntimeError("cannot assign to property: '\(name)' is a get-only property") }
        case .tuple(var elements, let labels):
            if let i = labels.firstIndex(of: name), i < elements.count {
                base = .void
                elements[i] = value
                base = .tuple(elements, labels: labels)
                return
            }
        default:
            break
        }
        if let p = libraryProperty(base, name, cache) {
            guard let set = p.set else {
                if case .tensor = base, name == "data" {
                    throw ScriptRuntimeError("cannot assign to 'data': a tensor's data is the tensor itself in lessonbook",
                                             suggestion: "update the tensor inside noGrad: w -= lr * w.grad!")
                }
                throw ScriptRuntimeError("cannot assign to property: '\(name)' is a get-only property")
            }
            try set(&base, value)
            return
        }
        throw noMember(base, name)
    }

    private func convert(_ value: Value, forField i: Int, ofType name: String, _ cache: MemberCache) -> Value {
        guard let type = scriptType(named: name, cache), i < type.fieldConvertsToDouble.count, type.fieldConvertsToDouble[i] else { return value }
        return value.convertedToDouble
    }

    /// Changes `base.name` in place through `body` (compound assignment, mutating calls).
    func modifyMember(_ base: inout Value, _ name: String, _ cache: MemberCache, _ body: (inout Value) throws -> Value) throws -> Value {
        if case .structInstance(var s) = base, let i = fieldIndex(s.fieldNames, name, cache) {
            base = .void
            var field = s.fields[i]
            s.fields[i] = .void
            defer {
                s.fields[i] = field
                base = .structInstance(s)
            }
            return try body(&field)
        }
        if case .object(let o as ScriptInstance) = base, let i = fieldIndex(o.fieldNames, name, cache), !(o is ScriptModule) {
            var field = o.fields[i]
            o.fields[i] = .void
            defer { o.fields[i] = field }
            return try body(&field)
        }
        var field = try getMember(base, name, cache)
        let result = try body(&field)
        try setMember(&base, name, field, cache)
        return result
    }

    // MARK: Subscripts

    private func intIndex(_ v: Value, _ what: String) throws -> Int {
        guard case .int(let i) = v else {
            throw ScriptRuntimeError("\(what) index must be an Int, not '\(v.typeDescription)'")
        }
        return i
    }

    private func checkedIndex(_ i: Int, count: Int) throws -> Int {
        guard i >= 0 && i < count else {
            throw ScriptRuntimeError("index \(i) out of range for an array of \(count) element\(count == 1 ? "" : "s")",
                                     suggestion: count == 0 ? "the array is empty" : "valid indices are 0..<\(count)")
        }
        return i
    }

    func tensorIndices(_ indices: [Value]) throws -> [TensorIndex] {
        try indices.map { v in
            switch v {
            case .int(let i): return .at(i)
            case .range(nil, nil, _): return .all
            case .range(let lo, let hi, let closed): return .range(lo, hi, closed: closed)
            default: throw ScriptRuntimeError("a tensor index must be an Int or a range, not '\(v.typeDescription)'")
            }
        }
    }

    private func arraySlice(_ elements: [Value], _ lo: Int?, _ hi: Int?, _ closed: Bool) throws -> Range<Int> {
        let lower = lo ?? 0
        // `a[0...Int.max]`: the end past Int.max is out of bounds, not an overflow.
        let upper = hi.map { closed ? ($0 == Int.max ? Int.max : $0 + 1) : $0 } ?? elements.count
        guard lower >= 0, upper <= elements.count, lower <= upper else {
            throw ScriptRuntimeError("range \(lower)..<\(upper) out of bounds for an array of \(elements.count) elements")
        }
        return lower..<upper
    }

    /// `base[indices]`.
    func getSubscript(_ base: Value, _ indices: [Value], labels: [String?]) throws -> Value {
        switch base {
        case .array(let elements):
            guard indices.count == 1 else { throw ScriptRuntimeError("an array takes one index, not \(indices.count)") }
            if case .range(let lo, let hi, let closed) = indices[0] {
                return .array(Array(elements[try arraySlice(elements, lo, hi, closed)]))
            }
            return elements[try checkedIndex(try intIndex(indices[0], "array"), count: elements.count)]
        case .dictionary(let d):
            // `counts[word, default: 0]`: the value, or the default for a missing key.
            let withDefault = indices.count == 2 && labels.count == 2 && labels[0] == nil && labels[1] == "default"
            guard indices.count == 1 || withDefault else { throw ScriptRuntimeError("a dictionary takes one key, not \(indices.count)") }
            guard HashableValue(indices[0]) != nil else {
                throw ScriptRuntimeError("a dictionary key must be an Int, String, Bool or Double, not '\(indices[0].typeDescription)'")
            }
            return d[indices[0]] ?? (withDefault ? indices[1] : .nil)
        case .tensor(let t):
            return .tensor(try t.slice(try tensorIndices(indices)))
        case .string(let s):
            guard indices.count == 1 else { throw ScriptRuntimeError("a string takes one index") }
            let chars = Array(s)
            let i = try checkedIndex(try intIndex(indices[0], "string"), count: chars.count)
            return .string(String(chars[i]))
        case .tuple(let elements, _):
            let i = try checkedIndex(try intIndex(indices[0], "tuple"), count: elements.count)
            return elements[i]
        default:
            if let m = library.method(for: base, named: "subscript") {
                var receiver = base
                return try m.body(&receiver, zip(labels, indices).map { Argument(label: $0, value: $1) }, self)
            }
            throw ScriptRuntimeError("value of type '\(base.typeDescription)' has no subscripts")
        }
    }

    /// `base[indices] = value`, with `base` held uniquely by the caller.
    func setSubscript(_ base: inout Value, _ indices: [Value], _ value: Value) throws {
        switch base {
        case .array(var elements):
            guard indices.count == 1 else { throw ScriptRuntimeError("an array takes one index, not \(indices.count)") }
            if case .range(let lo, let hi, let closed) = indices[0] {
                guard case .array(let replacement) = value else {
                    throw ScriptRuntimeError("assigning to an array range needs an array, not '\(value.typeDescription)'")
                }
                let r = try arraySlice(elements, lo, hi, closed)
                base = .void
                elements.replaceSubrange(r, with: replacement)
                base = .array(elements)
                return
            }
            let i = try checkedIndex(try intIndex(indices[0], "array"), count: elements.count)
            base = .void
            elements[i] = value
            base = .array(elements)
        case .dictionary(var d):
            guard indices.count == 1 else { throw ScriptRuntimeError("a dictionary takes one key, not \(indices.count)") }
            guard HashableValue(indices[0]) != nil else {
                throw ScriptRuntimeError("a dictionary key must be an Int, String, Bool or Double, not '\(indices[0].typeDescription)'")
            }
            base = .void
            if case .nil = value { d[indices[0]] = nil } else { d[indices[0]] = value }
            base = .dictionary(d)
        case .tensor(var t):
            let idx = try tensorIndices(indices)
            base = .void
            defer { base = .tensor(t) }
            switch value {
            case .tensor(let v): try t.assign(idx, v)
            default:
                guard let s = value.floatScalar else {
                    throw ScriptRuntimeError("cannot assign a value of type '\(value.typeDescription)' into a tensor")
                }
                try t.assign(idx, s)
            }
        case .module(let net as Sequential):
            // `net[0] = Conv2d(...)`, and the write-back of `net[0].weight = w`.
            guard indices.count == 1, case .int(let i) = indices[0] else {
                throw ScriptRuntimeError("Sequential: assign a layer to one Int index, as in net[0] = ReLU()")
            }
            guard case .module(let layer) = value else {
                throw ScriptRuntimeError("Sequential: a layer must be a Module, not '\(value.typeDescription)'")
            }
            try net.setLayer(layer, at: i)
        default:
            throw ScriptRuntimeError("cannot assign through a subscript of a value of type '\(base.typeDescription)'")
        }
    }

    /// Changes `base[indices]` in place through `body`.
    func modifySubscript(_ base: inout Value, _ indices: [Value], _ body: (inout Value) throws -> Value) throws -> Value {
        if case .array(var elements) = base, indices.count == 1, case .int(let raw) = indices[0] {
            let i = try checkedIndex(raw, count: elements.count)
            base = .void
            var element = elements[i]
            elements[i] = .void
            defer {
                elements[i] = element
                base = .array(elements)
            }
            return try body(&element)
        }
        var element = try getSubscript(base, indices, labels: indices.map { _ in nil })
        let result = try body(&element)
        try setSubscript(&base, indices, element)
        return result
    }
}

extension Value {
    /// An Int as a Double (for `Double` annotations); anything else unchanged.
    var convertedToDouble: Value {
        switch self {
        case .int(let v): return .double(Double(v))
        case .array(let elements): return .array(elements.map(\.convertedToDouble))
        default: return self
        }
    }
}
