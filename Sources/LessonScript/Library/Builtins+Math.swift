import Foundation
import TensorEngine

extension BuiltinLibrary {
    /// Numbers: `Int(x)`, `Double(x)`, `min`, `max`, `abs`, `sqrt`, `exp`, `log`, `pow`,
    /// `floor`, `ceil`, `round` and the constants `Double.pi`, `Int.max`, ... The unary
    /// functions that have a tensor form (`exp`, `log`, `sqrt`, `abs`, `tanh`) dispatch on
    /// their argument: a tensor gives a tensor.
    static func registerMath(_ library: BuiltinLibrary) {
        library.defineConstant("Double.pi", .double(Double.pi))
        library.defineConstant("Float.pi", .double(Double(Float.pi)))
        library.defineConstant("Double.infinity", .double(Double.infinity))
        library.defineConstant("Double.nan", .double(Double.nan))
        library.defineConstant("Double.greatestFiniteMagnitude", .double(Double.greatestFiniteMagnitude))
        library.defineConstant("Double.ulpOfOne", .double(Double.ulpOfOne))
        library.defineConstant("Int.max", .int(Int.max))
        library.defineConstant("Int.min", .int(Int.min))

        library.defineFunction("Int") { arguments, _ in
            let args = try ArgumentList(arguments, function: "Int", labels: ["radix"], maxPositional: 1)
            let v = try args.value(0, "value")
            if let radix = try args.optionalInt("radix") {
                guard (2...36).contains(radix) else { throw ScriptRuntimeError("Int(_:radix:): radix must be in 2...36, got \(radix)") }
                return Int(try args.string(0, "value"), radix: radix).map(Value.int) ?? .nil
            }
            switch v {
            case .int: return v
            case .double(let d): return .int(try Lib.truncatingInt(d, "Int"))
            case .string(let s): return Int(s).map(Value.int) ?? .nil
            case .bool(let b): return .int(b ? 1 : 0)
            case .tensor(let t): return .int(try Lib.truncatingInt(Double(try t.item()), "Int"))
            default: throw ScriptRuntimeError("Int: cannot convert \(Lib.typeName(v)) to Int")
            }
        }

        let toDouble: Function = { arguments, _ in
            let args = try ArgumentList(arguments, function: "Double", maxPositional: 1)
            let v = try args.value(0, "value")
            switch v {
            case .double: return v
            case .int(let i): return .double(Double(i))
            case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces)).map(Value.double) ?? .nil
            case .tensor(let t): return .double(Double(try t.item()))
            default: throw ScriptRuntimeError("Double: cannot convert \(Lib.typeName(v)) to Double")
            }
        }
        library.defineFunction("Double", toDouble)
        // The language has one floating type; `Float(x)` is accepted and gives a Double
        // rounded to Float precision, which is what the engine stores.
        library.defineFunction("Float") { arguments, context in
            guard case .double(let d) = try toDouble(arguments, context) else { return .nil }
            return .double(Double(Float(d)))
        }

        library.defineFunction("Bool") { arguments, _ in
            let args = try ArgumentList(arguments, function: "Bool", maxPositional: 1)
            switch try args.value(0, "value") {
            case .bool(let b): return .bool(b)
            case .string(let s): return s == "true" ? .bool(true) : (s == "false" ? .bool(false) : .nil)
            case let v: throw ScriptRuntimeError("Bool: cannot convert \(Lib.typeName(v)) to Bool")
            }
        }

        library.defineFunction("min") { arguments, _ in try Lib.extremum(arguments, "min", wantMax: false) }
        library.defineFunction("max") { arguments, _ in try Lib.extremum(arguments, "max", wantMax: true) }

        library.defineFunction("abs") { arguments, _ in
            switch try Lib.single(arguments, "abs") {
            case .int(let i):
                guard i != Int.min else { throw ScriptRuntimeError("abs: Int overflow: abs(\(i)) does not fit in Int") }
                return .int(Swift.abs(i))
            case .double(let d): return .double(Swift.abs(d))
            case .tensor(let t): return .tensor(try t.abs())
            case let v: throw ScriptRuntimeError("abs: expected a number or a Tensor, got \(Lib.typeName(v))")
            }
        }

        func unary(_ name: String, _ f: @escaping (Double) -> Double, tensor: ((Tensor) throws -> Tensor)?) {
            library.defineFunction(name) { arguments, _ in
                let v = try Lib.single(arguments, name)
                switch v {
                case .double(let d): return .double(f(d))
                case .int(let i): return .double(f(Double(i)))
                case .tensor(let t):
                    if let tensor { return .tensor(try tensor(t)) }
                    throw ScriptRuntimeError("\(name): expected a number, got Tensor", suggestion: "use the tensor method, e.g. x.\(name)()")
                default:
                    throw ScriptRuntimeError("\(name): expected a number\(tensor == nil ? "" : " or a Tensor"), got \(Lib.typeName(v))")
                }
            }
        }
        unary("sqrt", { $0.squareRoot() }, tensor: { try $0.sqrt() })
        unary("exp", Foundation.exp, tensor: { try $0.exp() })
        unary("log", Foundation.log, tensor: { try $0.log() })
        unary("tanh", Foundation.tanh, tensor: { try $0.tanh() })
        unary("log2", Foundation.log2, tensor: nil)
        unary("log10", Foundation.log10, tensor: nil)
        unary("sin", Foundation.sin, tensor: nil)
        unary("cos", Foundation.cos, tensor: nil)
        unary("tan", Foundation.tan, tensor: nil)
        unary("atan", Foundation.atan, tensor: nil)
        unary("floor", { $0.rounded(.down) }, tensor: nil)
        unary("ceil", { $0.rounded(.up) }, tensor: nil)
        // Swift's `round` rounds half away from zero (2.5 → 3.0), unlike Python's.
        unary("round", { $0.rounded() }, tensor: nil)

        // Swift's random numbers, drawn from the engine's generator so that `manualSeed` fixes them.
        library.defineFunction("Int.random") { arguments, _ in
            let args = try ArgumentList(arguments, function: "Int.random(in:)", labels: ["in"], maxPositional: 0)
            let r = try args.value("in")
            guard case .range(let lower?, let upper?, let closed) = r else {
                throw args.wrongType("in", expected: "a range with both bounds (0..<10)", got: r)
            }
            let span = upper.subtractingReportingOverflow(lower)
            let count = closed ? span.partialValue.addingReportingOverflow(1) : (partialValue: span.partialValue, overflow: false)
            guard !span.overflow, !count.overflow, count.partialValue > 0 else {
                throw ScriptRuntimeError("Int.random(in:): the range must be non-empty and narrower than Int.max")
            }
            return .int(lower + RandomGenerator.global.nextInt(below: count.partialValue))
        }
        library.defineFunction("Double.random") { arguments, _ in
            let args = try ArgumentList(arguments, function: "Double.random(in:)", labels: ["in"], maxPositional: 0)
            let r = try args.value("in")
            guard case .range(let lower?, let upper?, _) = r, lower < upper else {
                throw args.wrongType("in", expected: "a non-empty range with both bounds (0..<1)", got: r)
            }
            return .double(Double(lower) + RandomGenerator.global.nextDouble() * (Double(upper) - Double(lower)))
        }

        library.defineFunction("pow") { arguments, _ in
            let args = try ArgumentList(arguments, function: "pow", maxPositional: 2)
            let base = try args.value(0, "base"), exponent = try args.value(1, "exponent")
            switch (base, exponent) {
            case (.tensor(let t), .tensor(let e)): return .tensor(try t.pow(e))
            case (.tensor(let t), _):
                guard let e = Lib.double(exponent) else { throw args.wrongType("exponent", expected: "a number or a Tensor", got: exponent) }
                return .tensor(try t.pow(Float(e)))
            default:
                guard let b = Lib.double(base) else { throw args.wrongType("base", expected: "a number or a Tensor", got: base) }
                guard let e = Lib.double(exponent) else { throw args.wrongType("exponent", expected: "a number", got: exponent) }
                return .double(Foundation.pow(b, e))
            }
        }
    }
}

extension Lib {
    /// The one unlabelled argument of a unary built-in. Cheap: no allocation on success.
    @inline(__always)
    static func single(_ arguments: [Argument], _ name: String) throws -> Value {
        guard arguments.count == 1, arguments[0].label == nil else {
            if let label = arguments.first(where: { $0.label != nil })?.label {
                throw ScriptRuntimeError("\(name): unexpected argument label '\(label)'")
            }
            throw ScriptRuntimeError("\(name): expected 1 argument, got \(arguments.count)")
        }
        return arguments[0].value
    }

    /// `Int(d)`: truncates toward zero like Swift, but a value Int cannot hold is an error.
    static func truncatingInt(_ d: Double, _ function: String) throws -> Int {
        guard let i = exactInt(d) else { throw ScriptRuntimeError("\(function): \(d) cannot be converted to Int (out of range)") }
        return i
    }

    /// `min(a, b, ...)` / `max(a, b, ...)`: Ints stay Int, a Double among them gives a Double,
    /// strings compare alphabetically.
    static func extremum(_ arguments: [Argument], _ name: String, wantMax: Bool) throws -> Value {
        if let label = arguments.first(where: { $0.label != nil })?.label {
            throw ScriptRuntimeError("\(name): unexpected argument label '\(label)'")
        }
        guard arguments.count >= 2 else {
            throw ScriptRuntimeError("\(name): expected at least 2 arguments, got \(arguments.count)",
                                     suggestion: arguments.count == 1 ? "for the \(name)imum of an array use array.\(name)()" : nil)
        }
        var best = arguments[0].value
        for a in arguments.dropFirst() {
            let v = a.value
            switch (best, v) {
            case (.int(let x), .int(let y)): if wantMax ? y > x : y < x { best = v }
            case (.string(let x), .string(let y)): if wantMax ? y > x : y < x { best = v }
            default:
                guard let x = double(best), let y = double(v) else {
                    let bad = double(best) == nil ? best : v
                    throw ScriptRuntimeError("\(name): cannot compare \(typeName(bad))" + (typeName(bad) == "Tensor" ? "; use x.\(name)() on a tensor" : ""))
                }
                best = .double(wantMax ? Swift.max(x, y) : Swift.min(x, y))
            }
        }
        return best
    }
}
