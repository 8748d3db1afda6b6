import TensorEngine

extension Value {
    /// How `print` shows the value, as Swift prints it: strings bare at the top level and
    /// quoted inside collections.
    public var printDescription: String { describe(nested: false) }

    /// The form inside collections (`"a"` quoted).
    public var debugDescription: String { describe(nested: true) }

    /// Collections nested deeper than this print as `[...]`: the description recurses, and a
    /// million-deep array must neither overflow the stack nor print megabytes of brackets.
    static let maximumDescriptionDepth = 200

    func describe(nested: Bool, depth: Int = 0) -> String {
        if depth >= Value.maximumDescriptionDepth {
            switch self {
            case .array, .dictionary: return "[...]"
            case .tuple: return "(...)"
            case .structInstance(let s): return s.typeName + "(...)"
            default: break
            }
        }
        let depth = depth + 1
        switch self {
        case .void: return "()"
        case .nil: return "nil"
        case .int(let v): return String(v)
        case .double(let v): return v.description
        case .bool(let v): return v ? "true" : "false"
        case .string(let s): return nested ? s.debugDescription : s
        case .array(let elements): return "[" + elements.map { $0.describe(nested: true, depth: depth) }.joined(separator: ", ") + "]"
        case .dictionary(let d):
            if d.count == 0 { return "[:]" }
            return "[" + zip(d.keys, d.values).map { "\($0.describe(nested: true, depth: depth)): \($1.describe(nested: true, depth: depth))" }
                .joined(separator: ", ") + "]"
        case .tuple(let elements, let labels):
            return "(" + elements.enumerated().map { i, e in
                let label = i < labels.count ? labels[i] : nil
                return (label.map { "\($0): " } ?? "") + e.describe(nested: true, depth: depth)
            }.joined(separator: ", ") + ")"
        case .range(let lower, let upper, let closed):
            return (lower.map(String.init) ?? "") + (closed || upper == nil ? "..." : "..<") + (upper.map(String.init) ?? "")
        case .tensor(let t): return String(describing: t)
        case .module(let m): return m.moduleDescription
        case .function(let f):
            if let t = f as? TypeConstructor { return t.type.name }
            return "(Function)"
        case .object(let o): return o.typeName
        case .structInstance(let s):
            return s.typeName + "(" + zip(s.fieldNames, s.fields).map { "\($0): \($1.describe(nested: true, depth: depth))" }
                .joined(separator: ", ") + ")"
        case .native(let n): return n.displayDescription
        case .implicitMember(let name): return "." + name
        }
    }

    /// The value's type as messages name it: `Int`, `[Double]`, `Tensor`, `Point`.
    public var typeDescription: String { typeDescription(depth: 0) }

    func typeDescription(depth: Int) -> String {
        if depth >= Value.maximumDescriptionDepth, case .array = self { return "Array" }
        let depth = depth + 1
        switch self {
        case .void: return "Void"
        case .nil: return "nil"
        case .int: return "Int"
        case .double: return "Double"
        case .bool: return "Bool"
        case .string: return "String"
        case .array(let elements):
            guard let first = elements.first else { return "Array" }
            let name = first.typeDescription(depth: depth)
            // The first element is not described twice: that doubled the work at each level.
            return elements.dropFirst().allSatisfy({ $0.typeDescription(depth: depth) == name }) ? "[\(name)]" : "Array"
        case .dictionary: return "Dictionary"
        case .tuple(let elements, _): return "(" + elements.map { $0.typeDescription(depth: depth) }.joined(separator: ", ") + ")"
        case .range(_, _, let closed): return closed ? "ClosedRange<Int>" : "Range<Int>"
        case .tensor: return "Tensor"
        case .module(let m): return m.typeName
        case .function(let f):
            if let t = f as? TypeConstructor { return "\(t.type.name).Type" }
            return "function"
        case .object(let o): return o.typeName
        case .structInstance(let s): return s.typeName
        case .native(let n): return n.typeName
        case .implicitMember(let name): return "implicit member '.\(name)'"
        }
    }
}

extension Value {
    /// `value is T` (and what `as?` checks): the value's own type, `Module` for any module,
    /// a script class's superclasses, and `T?` for nil or a `T`.
    func isOfType(_ name: String) -> Bool {
        if name.hasSuffix("?") {
            if case .nil = self { return true }
            return isOfType(String(name.dropLast()))
        }
        switch (self, name) {
        case (.module, "Module"), (.tensor, "Tensor"), (_, "Any"): return true
        case (.module(let m as ScriptInstance), _), (.object(let m as ScriptInstance), _):
            var type: ScriptType? = m.type
            while let t = type {
                if t.name == name { return true }
                type = t.superType
            }
            return false
        default: return typeDescription == name
        }
    }
}
