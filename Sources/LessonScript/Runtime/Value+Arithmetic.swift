import TensorEngine

/// The binary operators of the language, resolved once at compile time.
enum BinaryOperator: String {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case identical = "===", notIdentical = "!=="

    var isComparison: Bool {
        switch self {
        case .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }
}

extension Value {
    /// `l op r`, following Swift except that Int mixed with Double gives Double and a
    /// number mixed with a Tensor broadcasts. Int overflow and division by zero are errors.
    static func apply(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        switch op {
        case .add, .subtract, .multiply, .divide, .remainder: return try arithmetic(op, l, r)
        case .equal, .notEqual:
            if case .nil = l { return .bool((r.kind == .nil) == (op == .equal)) }
            if case .nil = r { return .bool((l.kind == .nil) == (op == .equal)) }
            if case .tensor = l { return try tensorCompare(op, l, r) }
            if case .tensor = r { return try tensorCompare(op, l, r) }
            guard let equal = Value.equal(l, r) else { throw cannotApply(op, l, r) }
            return .bool(op == .equal ? equal : !equal)
        case .identical, .notIdentical:
            let same: Bool
            switch (l, r) {
            case (.object(let a), .object(let b)): same = a === b
            case (.module(let a), .module(let b)): same = a === b
            case (.native(let a), .native(let b)): same = a === b
            case (.function(let a), .function(let b)): same = a === b
            case (.nil, .nil): same = true
            case (_, .nil), (.nil, _): same = false
            default: throw cannotApply(op, l, r)
            }
            return .bool(op == .identical ? same : !same)
        case .less, .lessEqual, .greater, .greaterEqual:
            if case .tensor = l { return try tensorCompare(op, l, r) }
            if case .tensor = r { return try tensorCompare(op, l, r) }
            guard let order = compare(l, r) else { throw cannotApply(op, l, r) }
            switch op {
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        }
    }

    static func cannotApply(_ op: BinaryOperator, _ l: Value, _ r: Value) -> ScriptRuntimeError {
        var suggestion: String?
        if op == .add, case .string = l { suggestion = "convert with String(...) or use \"\\(...)\" interpolation" }
        if op == .add, case .string = r { suggestion = "convert with String(...) or use \"\\(...)\" interpolation" }
        return ScriptRuntimeError("binary operator '\(op.rawValue)' cannot be applied to operands of type '\(l.typeDescription)' and '\(r.typeDescription)'",
                                  suggestion: suggestion)
    }

    static func overflow(_ op: BinaryOperator, _ a: Int, _ b: Int) -> ScriptRuntimeError {
        ScriptRuntimeError("arithmetic overflow: \(a) \(op.rawValue) \(b) does not fit in Int",
                           suggestion: "use Double for very large numbers")
    }

    static func intArithmetic(_ op: BinaryOperator, _ a: Int, _ b: Int) throws -> Value {
        let result: (partialValue: Int, overflow: Bool)
        switch op {
        case .add: result = a.addingReportingOverflow(b)
        case .subtract: result = a.subtractingReportingOverflow(b)
        case .multiply: result = a.multipliedReportingOverflow(by: b)
        case .divide:
            if b == 0 { throw ScriptRuntimeError("division by zero") }
            result = a.dividedReportingOverflow(by: b)
        case .remainder:
            if b == 0 { throw ScriptRuntimeError("division by zero in remainder operation") }
            result = a.remainderReportingOverflow(dividingBy: b)
        default: throw cannotApply(op, .int(a), .int(b))
        }
        if result.overflow { throw overflow(op, a, b) }
        return .int(result.partialValue)
    }

    static func doubleArithmetic(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Value {
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide: return .double(a / b)
        default: return .double(a.truncatingRemainder(dividingBy: b))
        }
    }

    private static func arithmetic(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        switch (l, r) {
        case (.int(let a), .int(let b)): return try intArithmetic(op, a, b)
        case (.double(let a), .double(let b)): return doubleArithmetic(op, a, b)
        case (.int(let a), .double(let b)): return doubleArithmetic(op, Double(a), b)
        case (.double(let a), .int(let b)): return doubleArithmetic(op, a, Double(b))
        case (.string(let a), .string(let b)) where op == .add: return .string(a + b)
        case (.array(let a), .array(let b)) where op == .add: return .array(a + b)
        case (.tensor(let a), .tensor(let b)): return .tensor(try tensorArithmetic(op, a, b))
        case (.tensor(let a), _):
            guard let s = r.scalarTensor else { throw cannotApply(op, l, r) }
            return .tensor(try tensorArithmetic(op, a, s))
        case (_, .tensor(let b)):
            guard let s = l.scalarTensor else { throw cannotApply(op, l, r) }
            return .tensor(try tensorArithmetic(op, s, b))
        default: throw cannotApply(op, l, r)
        }
    }

    /// Ints and Doubles as a Float, for mixing with tensors.
    var floatScalar: Float? {
        switch self {
        case .int(let v): return Float(v)
        case .double(let v): return Float(v)
        case .bool(let v): return v ? 1 : 0
        default: return nil
        }
    }

    private static func tensorArithmetic(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        switch op {
        case .add: return try a + b
        case .subtract: return try a - b
        case .multiply: return try a * b
        case .divide: return try a / b
        default: throw ScriptRuntimeError("binary operator '%' cannot be applied to tensors")
        }
    }

    /// A number as a rank-0 tensor of its own kind, so that mixing follows PyTorch's rules:
    /// an integer tensor times an Int stays integral, times a Double becomes floating point.
    var scalarTensor: Tensor? {
        switch self {
        case .int(let v): return Tensor(Float(v), dtype: .int64)
        case .double(let v): return Tensor(Float(v))
        case .bool(let v): return Tensor(v ? 1 : 0, dtype: .bool)
        default: return nil
        }
    }

    private static func tensorCompare(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        func tensor(_ v: Value) throws -> Tensor {
            if case .tensor(let t) = v { return t }
            if let s = v.scalarTensor { return s }
            throw cannotApply(op, l, r)
        }
        let a = try tensor(l), b = try tensor(r)
        switch op {
        case .equal: return .tensor(try a .== b)
        case .notEqual: return .tensor(try a .!= b)
        case .less: return .tensor(try a .< b)
        case .lessEqual: return .tensor(try a .<= b)
        case .greater: return .tensor(try a .> b)
        default: return .tensor(try a .>= b)
        }
    }

    /// Structural equality; nil when the two values cannot be compared.
    static func equal(_ l: Value, _ r: Value) -> Bool? {
        switch (l, r) {
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)): return Double(a) == b
        case (.double(let a), .int(let b)): return a == Double(b)
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.nil, .nil): return true
        case (.nil, _), (_, .nil): return false
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) { guard let e = equal(x, y) else { return nil }; if !e { return false } }
            return true
        case (.tuple(let a, _), .tuple(let b, _)):
            guard a.count == b.count else { return nil }
            for (x, y) in zip(a, b) { guard let e = equal(x, y) else { return nil }; if !e { return false } }
            return true
        case (.dictionary(let a), .dictionary(let b)):
            guard a.count == b.count else { return false }
            for (k, v) in zip(a.keys, a.values) {
                guard let other = b[k] else { return false }
                guard let e = equal(v, other) else { return nil }
                if !e { return false }
            }
            return true
        case (.range(let a1, let a2, let ac), .range(let b1, let b2, let bc)): return a1 == b1 && a2 == b2 && ac == bc
        case (.structInstance(let a), .structInstance(let b)):
            guard a.typeName == b.typeName, a.fields.count == b.fields.count else { return nil }
            for (x, y) in zip(a.fields, b.fields) { guard let e = equal(x, y) else { return nil }; if !e { return false } }
            return true
        case (.object(let a), .object(let b)): return a === b
        case (.module(let a), .module(let b)): return a === b
        case (.native(let a), .native(let b)): return a === b
        case (.implicitMember(let a), .implicitMember(let b)): return a == b
        default: return nil
        }
    }

    /// Ordering of numbers and strings: negative, zero or positive; nil when not ordered.
    static func compare(_ l: Value, _ r: Value) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (l, r) {
        case (.int(let a), .int(let b)): return order(a, b)
        case (.double(let a), .double(let b)): return a.isNaN || b.isNaN ? nil : order(a, b)
        case (.int(let a), .double(let b)): return order(Double(a), b)
        case (.double(let a), .int(let b)): return order(a, Double(b))
        case (.string(let a), .string(let b)): return order(a, b)
        case (.tuple(let a, _), .tuple(let b, _)):
            for (x, y) in zip(a, b) {
                guard let c = compare(x, y) else { return nil }
                if c != 0 { return c }
            }
            return order(a.count, b.count)
        default: return nil
        }
    }

    /// `-x`.
    static func negate(_ v: Value) throws -> Value {
        switch v {
        case .int(let a):
            if a == Int.min { throw ScriptRuntimeError("arithmetic overflow: -(\(a)) does not fit in Int") }
            return .int(-a)
        case .double(let a): return .double(-a)
        case .tensor(let t): return .tensor(-t)
        default: throw ScriptRuntimeError("unary operator '-' cannot be applied to an operand of type '\(v.typeDescription)'")
        }
    }
}
