import TensorEngine

/// Helpers shared by the built-ins: value conversions, type names for error messages, and
/// `ArgumentList`, which checks a call's labels and reads its arguments with clear errors.
enum Lib {
    /// The type of a value as error messages name it: `Int`, `[Int]`-style details are left out.
    static func typeName(_ value: Value) -> String {
        switch value {
        case .void: return "Void"
        case .nil: return "nil"
        case .int: return "Int"
        case .double: return "Double"
        case .bool: return "Bool"
        case .string: return "String"
        case .array: return "Array"
        case .dictionary: return "Dictionary"
        case .tuple(let items, _): return "a tuple of \(items.count)"
        case .range: return "Range"
        case .tensor: return "Tensor"
        case .module(let m): return m.typeName
        case .function: return "a function"
        case .object(let o): return o.typeName
        case .structInstance(let s): return s.typeName
        case .native(let n): return n.typeName
        case .implicitMember(let name): return ".\(name)"
        }
    }

    // MARK: Conversions (nil when the value has another type)

    @inline(__always)
    static func int(_ value: Value) -> Int? {
        if case .int(let v) = value { return v }
        return nil
    }

    /// An Int or a Double, as a Double (Int mixed with Double gives Double in the language).
    @inline(__always)
    static func double(_ value: Value) -> Double? {
        switch value {
        case .double(let v): return v
        case .int(let v): return Double(v)
        default: return nil
        }
    }

    /// A tensor shape: `[2, 3]`, `(2, 3)`, or a tensor's shape array.
    static func shape(_ value: Value) -> [Int]? {
        switch value {
        case .array(let items), .tuple(let items, _):
            var shape: [Int] = []
            shape.reserveCapacity(items.count)
            for item in items {
                guard case .int(let d) = item else { return nil }
                shape.append(d)
            }
            return shape
        default: return nil
        }
    }

    /// A size of a 2-D operation: `5` or `(3, 5)` (also `[3, 5]`).
    static func size2(_ value: Value) -> Size2? {
        switch value {
        case .int(let v): return Size2(v)
        case .tuple(let items, _) where items.count == 2, .array(let items) where items.count == 2:
            guard case .int(let h) = items[0], case .int(let w) = items[1] else { return nil }
            return Size2(h, w)
        default: return nil
        }
    }

    /// Converts a Double result to Float for the engine, rejecting values Float cannot hold.
    static func float(_ value: Value) -> Float? {
        double(value).map { Float($0) }
    }

    /// A Double that must be a whole number in Int's range (for `Int(x)`, shapes, ...).
    static func exactInt(_ value: Double) -> Int? {
        guard value.isFinite, value >= -9.223372036854775e18, value < 9.223372036854775e18 else { return nil }
        return Int(value)
    }

    // MARK: Suggestions

    /// The candidate nearest to `name` by edit distance, when it is close enough to be a typo
    /// (bounded work, see `Suggestions`).
    static func nearest(_ name: String, in candidates: [String]) -> String? {
        let target = Array(name.lowercased())
        guard target.count <= Suggestions.maximumLength else { return nil }
        let limit = max(1, min(3, target.count / 3 + 1))
        var best: (String, Int)?
        for candidate in candidates {
            guard let d = Suggestions.editDistance(target, Array(candidate.lowercased()), atMost: limit) else { continue }
            if best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
        }
        return best?.0
    }

    /// The error for a member that a kind of value does not have.
    static func noMember(_ name: String, _ receiver: Value) -> ScriptRuntimeError {
        ScriptRuntimeError("value of type \(typeName(receiver)) has no member '\(name)'")
    }
}

/// The arguments of one built-in call, checked against the labels it accepts.
///
/// Built once per call of a non-trivial built-in: unknown or repeated labels and too many
/// unlabelled arguments are reported here, so each built-in only reads what it needs.
/// Messages name the built-in: `conv2d: unexpected argument label 'strid'; did you mean 'stride'?`.
struct ArgumentList {
    /// The name shown in messages, e.g. `conv2d` or `Conv2d`.
    let function: String
    /// Unlabelled arguments in order.
    let positional: [Value]
    private let labelled: [Argument]

    /// Splits `arguments` into unlabelled and labelled ones. `labels` lists the labels the
    /// built-in accepts; `maxPositional` (nil for any number) bounds the unlabelled ones.
    init(_ arguments: [Argument], function: String, labels: [String] = [], maxPositional: Int? = nil) throws {
        self.function = function
        var positional: [Value] = []
        var labelled: [Argument] = []
        for argument in arguments {
            guard let label = argument.label else {
                positional.append(argument.value)
                continue
            }
            guard labels.contains(label) else {
                if labels.isEmpty {
                    throw ScriptRuntimeError("\(function): unexpected argument label '\(label)'; it takes no labelled arguments")
                }
                if let near = Lib.nearest(label, in: labels) {
                    throw ScriptRuntimeError("\(function): unexpected argument label '\(label)'; did you mean '\(near)'?")
                }
                throw ScriptRuntimeError("\(function): unexpected argument label '\(label)'",
                                         suggestion: "it accepts " + labels.map { "'\($0):'" }.joined(separator: ", "))
            }
            if labelled.contains(where: { $0.label == label }) {
                throw ScriptRuntimeError("\(function): argument '\(label)' given twice")
            }
            labelled.append(argument)
        }
        if let maxPositional, positional.count > maxPositional {
            throw ScriptRuntimeError(maxPositional == 0
                ? "\(function): expected no unlabelled arguments, got \(positional.count)"
                : "\(function): expected at most \(maxPositional) unlabelled argument\(maxPositional == 1 ? "" : "s"), got \(positional.count)")
        }
        self.positional = positional
        self.labelled = labelled
    }

    var count: Int { positional.count }

    /// The value of a labelled argument, if given.
    subscript(label: String) -> Value? {
        for a in labelled where a.label == label { return a.value }
        return nil
    }

    /// The unlabelled argument at `index`, if given.
    subscript(index: Int) -> Value? {
        index < positional.count ? positional[index] : nil
    }

    func has(_ label: String) -> Bool { self[label] != nil }

    // MARK: Errors

    func missing(_ name: String) -> ScriptRuntimeError {
        ScriptRuntimeError("\(function): missing argument '\(name)'")
    }

    func wrongType(_ name: String, expected: String, got value: Value) -> ScriptRuntimeError {
        ScriptRuntimeError("\(function): argument '\(name)' must be \(expected), got \(Lib.typeName(value))")
    }

    // MARK: Required reads

    /// The unlabelled argument `index` (named `name` in messages), or the labelled one `name`.
    func value(_ index: Int, _ name: String) throws -> Value {
        if let v = self[index] { return v }
        throw missing(name)
    }

    func value(_ label: String) throws -> Value {
        if let v = self[label] { return v }
        throw missing(label)
    }

    func int(_ index: Int, _ name: String) throws -> Int { try toInt(try value(index, name), name) }
    func int(_ label: String) throws -> Int { try toInt(try value(label), label) }
    func double(_ index: Int, _ name: String) throws -> Double { try toDouble(try value(index, name), name) }
    func double(_ label: String) throws -> Double { try toDouble(try value(label), label) }
    func string(_ index: Int, _ name: String) throws -> String { try toString(try value(index, name), name) }
    func string(_ label: String) throws -> String { try toString(try value(label), label) }
    func tensor(_ index: Int, _ name: String) throws -> Tensor { try toTensor(try value(index, name), name) }
    func tensor(_ label: String) throws -> Tensor { try toTensor(try value(label), label) }

    // MARK: Optional reads (nil when absent; a wrong type is still an error)

    func int(_ label: String, default d: Int) throws -> Int { try self[label].map { try toInt($0, label) } ?? d }
    func double(_ label: String, default d: Double) throws -> Double { try self[label].map { try toDouble($0, label) } ?? d }
    func bool(_ label: String, default d: Bool) throws -> Bool { try self[label].map { try toBool($0, label) } ?? d }
    func string(_ label: String, default d: String?) throws -> String? { try self[label].map { try toString($0, label) } ?? d }
    func optionalString(_ label: String) throws -> String? { try self[label].map { try toString($0, label) } }
    func optionalTensor(_ label: String) throws -> Tensor? {
        guard let v = self[label] else { return nil }
        if case .nil = v { return nil }
        return try toTensor(v, label)
    }
    func size2(_ label: String, default d: Size2) throws -> Size2 { try self[label].map { try toSize2($0, label) } ?? d }
    func optionalSize2(_ label: String) throws -> Size2? {
        guard let v = self[label] else { return nil }
        if case .nil = v { return nil }
        return try toSize2(v, label)
    }
    func optionalInt(_ label: String) throws -> Int? {
        guard let v = self[label] else { return nil }
        if case .nil = v { return nil }
        return try toInt(v, label)
    }
    func optionalDouble(_ label: String) throws -> Double? {
        guard let v = self[label] else { return nil }
        if case .nil = v { return nil }
        return try toDouble(v, label)
    }

    // MARK: Conversions with messages

    func toInt(_ v: Value, _ name: String) throws -> Int {
        if case .int(let i) = v { return i }
        throw wrongType(name, expected: "an Int", got: v)
    }

    func toDouble(_ v: Value, _ name: String) throws -> Double {
        if let d = Lib.double(v) { return d }
        throw wrongType(name, expected: "a number", got: v)
    }

    func toBool(_ v: Value, _ name: String) throws -> Bool {
        if case .bool(let b) = v { return b }
        throw wrongType(name, expected: "a Bool", got: v)
    }

    func toString(_ v: Value, _ name: String) throws -> String {
        if case .string(let s) = v { return s }
        throw wrongType(name, expected: "a String", got: v)
    }

    func toTensor(_ v: Value, _ name: String) throws -> Tensor {
        if case .tensor(let t) = v { return t }
        throw wrongType(name, expected: "a Tensor", got: v)
    }

    func toSize2(_ v: Value, _ name: String) throws -> Size2 {
        if let s = Lib.size2(v) { return s }
        throw wrongType(name, expected: "an Int or an (h, w) tuple of Ints", got: v)
    }

    /// A shape given either as several Int arguments (`zeros(2, 3)`) or as one array or
    /// tuple (`zeros([2, 3])`), starting at unlabelled argument `from`.
    func shape(from start: Int = 0) throws -> [Int] {
        let rest = positional.count > start ? Array(positional[start...]) : []
        if rest.count == 1, let s = Lib.shape(rest[0]) { return s }
        var shape: [Int] = []
        shape.reserveCapacity(rest.count)
        for v in rest {
            guard case .int(let d) = v else {
                throw ScriptRuntimeError("\(function): the shape must be Ints (zeros(2, 3)) or one array ([2, 3]), got \(Lib.typeName(v))")
            }
            shape.append(d)
        }
        return shape
    }
}
