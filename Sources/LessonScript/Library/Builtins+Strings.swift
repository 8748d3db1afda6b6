import Foundation
import TensorEngine

extension BuiltinLibrary {
    /// String members: `count`, `isEmpty`, `first`, `last`, `uppercased()`, `lowercased()`,
    /// `hasPrefix`, `hasSuffix`, `split(separator:)`, `padding(toLength:withPad:startingAt:)`,
    /// `replacingOccurrences(of:with:)`, `trimmingWhitespace()`. (`map`, `filter`, `contains`,
    /// `reversed`, `sorted` come with the sequence members.)
    static func registerStrings(_ library: BuiltinLibrary) {
        func stringProperty(_ name: String, _ body: @escaping (String) -> Value) {
            library.defineProperty(.string, name) { r in
                guard case .string(let s) = r else { throw Lib.noMember(name, r) }
                return body(s)
            }
        }
        stringProperty("count") { .int($0.count) }
        stringProperty("isEmpty") { .bool($0.isEmpty) }
        stringProperty("first") { s in s.first.map { .string(String($0)) } ?? .nil }
        stringProperty("last") { s in s.last.map { .string(String($0)) } ?? .nil }

        func stringMethod(_ name: String, labels: [String] = [], maxPositional: Int, _ body: @escaping (String, ArgumentList) throws -> Value) {
            library.defineMethod(.string, name) { receiver, arguments, _ in
                guard case .string(let s) = receiver else { throw Lib.noMember(name, receiver) }
                return try body(s, try ArgumentList(arguments, function: name, labels: labels, maxPositional: maxPositional))
            }
        }
        // Swift's prefix and suffix give substrings; here they are Strings (`String(s.prefix(3))` still works).
        stringMethod("prefix", maxPositional: 1) { s, a in
            let n = try a.int(0, "maxLength")
            guard n >= 0 else { throw ScriptRuntimeError("prefix: can't take a prefix of negative length \(n)") }
            return .string(String(s.prefix(n)))
        }
        stringMethod("suffix", maxPositional: 1) { s, a in
            let n = try a.int(0, "maxLength")
            guard n >= 0 else { throw ScriptRuntimeError("suffix: can't take a suffix of negative length \(n)") }
            return .string(String(s.suffix(n)))
        }
        stringMethod("uppercased", maxPositional: 0) { s, _ in .string(s.uppercased()) }
        stringMethod("lowercased", maxPositional: 0) { s, _ in .string(s.lowercased()) }
        stringMethod("hasPrefix", maxPositional: 1) { s, a in .bool(s.hasPrefix(try a.string(0, "prefix"))) }
        stringMethod("hasSuffix", maxPositional: 1) { s, a in .bool(s.hasSuffix(try a.string(0, "suffix"))) }
        stringMethod("trimmingWhitespace", maxPositional: 0) { s, _ in .string(s.trimmingCharacters(in: .whitespacesAndNewlines)) }
        stringMethod("split", labels: ["separator", "omittingEmptySubsequences"], maxPositional: 0) { s, a in
            let separator = try a.value("separator")
            guard case .string(let sep) = separator, sep.count == 1, let c = sep.first else {
                throw a.wrongType("separator", expected: "a one-character String", got: separator)
            }
            let omit = try a.bool("omittingEmptySubsequences", default: true)
            return .array(s.split(separator: c, omittingEmptySubsequences: omit).map { .string(String($0)) })
        }
        stringMethod("components", labels: ["separatedBy"], maxPositional: 0) { s, a in
            let sep = try a.string("separatedBy")
            guard !sep.isEmpty else { throw ScriptRuntimeError("components(separatedBy:): the separator must not be empty") }
            return .array(s.components(separatedBy: sep).map(Value.string))
        }
        stringMethod("replacingOccurrences", labels: ["of", "with"], maxPositional: 0) { s, a in
            let target = try a.string("of")
            guard !target.isEmpty else { throw ScriptRuntimeError("replacingOccurrences(of:with:): the string to replace must not be empty") }
            return .string(s.replacingOccurrences(of: target, with: try a.string("with")))
        }
        // Foundation's padding: pads on the right (or truncates) to exactly `toLength` characters.
        stringMethod("padding", labels: ["toLength", "withPad", "startingAt"], maxPositional: 0) { s, a in
            let length = try a.int("toLength")
            let pad = try a.string("withPad", default: " ") ?? " "
            let start = try a.int("startingAt", default: 0)
            guard length >= 0, length <= Lib.maxCollectionLength else { throw ScriptRuntimeError("padding: toLength must be between 0 and \(Lib.maxCollectionLength), got \(length)") }
            guard !pad.isEmpty else { throw ScriptRuntimeError("padding: withPad must not be empty") }
            guard start >= 0, start < pad.count else { throw ScriptRuntimeError("padding: startingAt \(start) is outside the pad string") }
            if s.count >= length { return .string(String(s.prefix(length))) }
            let padChars = Array(pad)
            var result = s
            var i = start
            for _ in 0..<(length - s.count) {
                result.append(padChars[i])
                i = (i + 1) % padChars.count
            }
            return .string(result)
        }
    }
}
