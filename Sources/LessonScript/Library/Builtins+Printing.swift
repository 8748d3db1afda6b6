import Foundation
import TensorEngine

extension BuiltinLibrary {
    /// `print`, `String(...)` and `String(format:)`.
    static func registerPrinting(_ library: BuiltinLibrary) {
        library.defineFunction("print") { arguments, context in
            var separator = " ", terminator = "\n"
            var text = ""
            var first = true
            for argument in arguments {
                if let label = argument.label {
                    guard case .string(let s) = argument.value else {
                        throw ScriptRuntimeError("print: argument '\(label)' must be a String, got \(Lib.typeName(argument.value))")
                    }
                    switch label {
                    case "separator": separator = s
                    case "terminator": terminator = s
                    default:
                        let near = Lib.nearest(label, in: ["separator", "terminator"])
                        throw ScriptRuntimeError("print: unexpected argument label '\(label)'" + (near.map { "; did you mean '\($0)'?" } ?? ""))
                    }
                }
            }
            for argument in arguments where argument.label == nil {
                if !first { text += separator }
                first = false
                if case .string(let s) = argument.value { text += s } else { text += context.describe(argument.value) }
            }
            context.host.write(text + terminator)
            return .void
        }

        library.defineFunction("String") { arguments, context in
            if arguments.count == 1, arguments[0].label == nil {
                if case .string = arguments[0].value { return arguments[0].value }
                return .string(context.describe(arguments[0].value))
            }
            guard let first = arguments.first else {
                return .string("")
            }
            switch first.label {
            case "format":
                guard case .string(let format) = first.value else {
                    throw ScriptRuntimeError("String(format:): the format must be a String, got \(Lib.typeName(first.value))")
                }
                var values: [Value] = []
                for a in arguments.dropFirst() {
                    if let label = a.label { throw ScriptRuntimeError("String(format:): unexpected argument label '\(label)'") }
                    values.append(a.value)
                }
                return .string(try Lib.format(format, values, context: context))
            case "describing":
                guard arguments.count == 1 else { throw ScriptRuntimeError("String(describing:): expected one argument") }
                if case .string = first.value { return first.value }
                return .string(context.describe(first.value))
            case "repeating":
                let args = try ArgumentList(arguments, function: "String(repeating:count:)", labels: ["repeating", "count"], maxPositional: 0)
                let s = try args.string("repeating"), n = try args.int("count")
                guard n >= 0 else { throw ScriptRuntimeError("String(repeating:count:): count must not be negative, got \(n)") }
                let total = s.count.multipliedReportingOverflow(by: n)
                try Lib.checkLength(total.overflow ? Int.max : total.partialValue, "String(repeating:count:)")
                return .string(String(repeating: s, count: n))
            case nil:
                // String(255, radix: 16)
                let args = try ArgumentList(arguments, function: "String", labels: ["radix", "uppercase"], maxPositional: 1)
                let n = try args.int(0, "value")
                let radix = try args.int("radix", default: 10)
                guard (2...36).contains(radix) else { throw ScriptRuntimeError("String(_:radix:): radix must be in 2...36, got \(radix)") }
                return .string(String(n, radix: radix, uppercase: try args.bool("uppercase", default: false)))
            case let label?:
                let near = Lib.nearest(label, in: ["format", "describing", "repeating", "radix"])
                throw ScriptRuntimeError("String: unexpected argument label '\(label)'" + (near.map { "; did you mean '\($0)'?" } ?? ""))
            }
        }
    }
}

extension Lib {
    /// `String(format:)` over script values: `%d %i %u %x %X %o` take an Int, `%f %e %g %a`
    /// (any case) take a number, `%s` and `%@` take anything (strings as they are, other values
    /// as `print` shows them), `%%` is a percent sign. Flags, width and precision work as in C.
    /// Each conversion is formatted on its own with a value of the type it expects, so no
    /// script value ever reaches a C variadic function as the wrong type.
    static func format(_ format: String, _ values: [Value], context: CallContext) throws -> String {
        let chars = Array(format.unicodeScalars)
        var output = String.UnicodeScalarView()
        var next = 0
        var i = 0
        func fail(_ message: String) -> ScriptRuntimeError { ScriptRuntimeError("String(format:): " + message) }
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { output.append(c); i += 1; continue }
            let start = i
            i += 1
            var flags = ""
            while i < chars.count, "-+ 0#".unicodeScalars.contains(chars[i]) { flags.unicodeScalars.append(chars[i]); i += 1 }
            var width = ""
            while i < chars.count, ("0"..."9").contains(chars[i]) { width.unicodeScalars.append(chars[i]); i += 1 }
            var precision: String?
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = ""
                while i < chars.count, ("0"..."9").contains(chars[i]) { p.unicodeScalars.append(chars[i]); i += 1 }
                precision = p
            }
            // Length modifiers mean nothing here: every Int is 64-bit, every number a Double.
            while i < chars.count, "hlqLzjt".unicodeScalars.contains(chars[i]) { i += 1 }
            guard i < chars.count else { throw fail("incomplete conversion at the end of \"\(format)\"") }
            let conversion = chars[i]
            i += 1
            let spec = String(String.UnicodeScalarView(chars[start..<i]))
            if conversion == "%" { output.append("%"); continue }
            guard width.count <= 4, (precision?.count ?? 0) <= 4 else { throw fail("width or precision too large in '\(spec)'") }
            guard next < values.count else {
                throw fail("'\(spec)' has no argument: the format has more conversions than the \(values.count) argument\(values.count == 1 ? "" : "s") given")
            }
            let value = values[next]
            next += 1
            let cFlags = flags + width + (precision.map { "." + $0 } ?? "")
            let piece: String
            switch conversion {
            case "d", "i", "u", "x", "X", "o":
                let n: Int
                switch value {
                case .int(let v): n = v
                case .bool(let b): n = b ? 1 : 0
                default: throw fail("'\(spec)' expects an Int, got \(typeName(value))" + (typeName(value) == "Double" ? " (use %f, or Int(x))" : ""))
                }
                let c = conversion == "i" || conversion == "u" ? "d" : String(conversion)
                piece = String(format: "%" + cFlags + "l" + c, n)
            case "f", "F", "e", "E", "g", "G", "a", "A":
                let d: Double
                switch value {
                case .int(let v): d = Double(v)
                case .double(let v): d = v
                case .tensor(let t) where t.count == 1 && !t.isMeta: d = Double(try t.item())
                default: throw fail("'\(spec)' expects a number, got \(typeName(value))")
                }
                piece = String(format: "%" + cFlags + String(conversion), d)
            case "s", "@":
                var s: String
                if case .string(let v) = value { s = v } else { s = context.describe(value) }
                if let precision, let p = Int(precision), s.count > p { s = String(s.prefix(p)) }
                if let w = Int(width), s.count < w {
                    let pad = String(repeating: " ", count: w - s.count)
                    s = flags.contains("-") ? s + pad : pad + s
                }
                piece = s
            case "c":
                guard case .string(let v) = value, v.count == 1 else { throw fail("'\(spec)' expects a one-character String, got \(typeName(value))") }
                piece = v
            default:
                throw fail("unsupported conversion '\(spec)'")
            }
            output.append(contentsOf: piece.unicodeScalars)
        }
        if next < values.count {
            throw fail("the format has \(next) conversion\(next == 1 ? "" : "s") but \(values.count) arguments were given")
        }
        return String(output)
    }
}
