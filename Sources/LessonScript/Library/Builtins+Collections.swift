import TensorEngine

extension BuiltinLibrary {
    /// `zip`, `stride`, `Array(...)` and the members of arrays, ranges and dictionaries:
    /// `count`, `isEmpty`, `first`, `last`, `append`, `insert`, `remove(at:)`, `removeLast`,
    /// `contains`, `map`, `filter`, `reduce`, `forEach`, `enumerated`, `sorted`, `reversed`,
    /// `joined(separator:)`, `min()`, `max()`, `keys`, `values`, `lowerBound`, `upperBound`.
    static func registerCollections(_ library: BuiltinLibrary) {
        registerSequenceFunctions(library)
        registerArrayMembers(library)
        registerRangeAndDictionaryMembers(library)
        for kind in [ValueKind.array, .range, .dictionary, .string] {
            registerSequenceMembers(library, kind)
        }
        // `net.parameters` is a native value that behaves as a sequence of tensors.
        registerSequenceMembers(library, .native, typeName: "Parameters")
        // A tensor is a sequence of its slices along the first dimension, as in PyTorch
        // (`K.map { corr2d(X, $0) }`); its own `sum`, `max`, `min` stay the tensor reductions.
        registerSequenceMembers(library, .tensor, only: ["map", "compactMap", "forEach", "filter", "reduce", "enumerated", "allSatisfy"])
        library.defineProperty(.native, "count", typeName: "Parameters") { r in
            guard case .native(let list as ParameterList) = r else { throw Lib.noMember("count", r) }
            return .int(list.parameters.count)
        }
        library.defineMethod(.native, "subscript", typeName: "Parameters") { receiver, arguments, _ in
            guard case .native(let list as ParameterList) = receiver else { throw Lib.noMember("subscript", receiver) }
            guard case .int(let i) = try Lib.single(arguments, "parameters subscript") else {
                throw ScriptRuntimeError("parameters: the index must be an Int")
            }
            guard list.parameters.indices.contains(i) else {
                throw ScriptRuntimeError("parameters: index \(i) is out of range for \(list.parameters.count) parameters")
            }
            return .tensor(list.parameters[i].value)
        }
    }

    private static func registerSequenceFunctions(_ library: BuiltinLibrary) {
        library.defineFunction("zip") { arguments, _ in
            let args = try ArgumentList(arguments, function: "zip", maxPositional: 2)
            let a = try Lib.elements(try args.value(0, "first"), "zip"), b = try Lib.elements(try args.value(1, "second"), "zip")
            var result: [Value] = []
            result.reserveCapacity(Swift.min(a.count, b.count))
            for (x, y) in Swift.zip(a, b) { result.append(.tuple([x, y], labels: [nil, nil])) }
            return .array(result)
        }

        library.defineFunction("stride") { arguments, _ in
            let args = try ArgumentList(arguments, function: "stride", labels: ["from", "to", "through", "by"], maxPositional: 0)
            let start = try args.value("from"), step = try args.value("by")
            let end: Value, closed: Bool
            switch (args["to"], args["through"]) {
            case (let to?, nil): end = to; closed = false
            case (nil, let through?): end = through; closed = true
            case (nil, nil): throw ScriptRuntimeError("stride: missing argument 'to' or 'through'")
            default: throw ScriptRuntimeError("stride: give either 'to' or 'through', not both")
            }
            if case .int(let a) = start, case .int(let b) = end, case .int(let s) = step {
                guard s != 0 else { throw ScriptRuntimeError("stride: 'by' must not be zero") }
                // Counted in Double so that extreme bounds cannot overflow.
                let span = (Double(b) - Double(a)) / Double(s)
                try Lib.checkLength(span <= 0 ? 0 : Int(Swift.min(span, 1e12)) + 1, "stride")
                return .array((closed ? Array(Swift.stride(from: a, through: b, by: s)) : Array(Swift.stride(from: a, to: b, by: s))).map(Value.int))
            }
            let a = try args.toDouble(start, "from"), b = try args.toDouble(end, closed ? "through" : "to"), s = try args.toDouble(step, "by")
            guard s != 0, s.isFinite else { throw ScriptRuntimeError("stride: 'by' must be a non-zero finite number") }
            try Lib.checkLength(Int(Swift.min(Swift.max((b - a) / s, 0), 1e12)) + 1, "stride")
            return .array((closed ? Array(Swift.stride(from: a, through: b, by: s)) : Array(Swift.stride(from: a, to: b, by: s))).map(Value.double))
        }

        library.defineFunction("Array") { arguments, _ in
            if arguments.isEmpty { return .array([]) }
            if arguments.count == 1, arguments[0].label == nil {
                return .array(try Lib.elements(arguments[0].value, "Array"))
            }
            let args = try ArgumentList(arguments, function: "Array(repeating:count:)", labels: ["repeating", "count"], maxPositional: 0)
            let value = try args.value("repeating"), n = try args.int("count")
            guard n >= 0 else { throw ScriptRuntimeError("Array(repeating:count:): count must not be negative, got \(n)") }
            try Lib.checkLength(n, "Array(repeating:count:)")
            return .array(Array(repeating: value, count: n))
        }
    }

    private static func registerArrayMembers(_ library: BuiltinLibrary) {
        library.defineProperty(.array, "count") { r in
            guard case .array(let a) = r else { throw Lib.noMember("count", r) }
            return .int(a.count)
        }
        library.defineProperty(.array, "isEmpty") { r in
            guard case .array(let a) = r else { throw Lib.noMember("isEmpty", r) }
            return .bool(a.isEmpty)
        }
        library.defineProperty(.array, "first") { r in
            guard case .array(let a) = r else { throw Lib.noMember("first", r) }
            return a.first ?? .nil
        }
        library.defineProperty(.array, "last") { r in
            guard case .array(let a) = r else { throw Lib.noMember("last", r) }
            return a.last ?? .nil
        }

        library.defineMethod(.array, "append", mutating: true) { receiver, arguments, _ in
            guard case .array(var a) = receiver else { throw Lib.noMember("append", receiver) }
            if arguments.count == 1 {
                switch arguments[0].label {
                case nil:
                    receiver = .void // drop the receiver's reference so the append does not copy
                    a.append(arguments[0].value)
                    receiver = .array(a)
                    return .void
                case "contentsOf":
                    let more = try Lib.elements(arguments[0].value, "append(contentsOf:)")
                    receiver = .void
                    a.append(contentsOf: more)
                    receiver = .array(a)
                    return .void
                default: break
                }
            }
            _ = try ArgumentList(arguments, function: "append", labels: ["contentsOf"], maxPositional: 1)
            throw ScriptRuntimeError("append: expected one element, or contentsOf: a sequence")
        }

        library.defineMethod(.array, "insert", mutating: true) { receiver, arguments, _ in
            guard case .array(var a) = receiver else { throw Lib.noMember("insert", receiver) }
            let args = try ArgumentList(arguments, function: "insert", labels: ["at"], maxPositional: 1)
            let element = try args.value(0, "element"), index = try args.int("at")
            guard index >= 0, index <= a.count else { throw ScriptRuntimeError("insert: index \(index) is out of range for an array of \(a.count) elements") }
            receiver = .void
            a.insert(element, at: index)
            receiver = .array(a)
            return .void
        }

        library.defineMethod(.array, "remove", mutating: true) { receiver, arguments, _ in
            guard case .array(var a) = receiver else { throw Lib.noMember("remove", receiver) }
            let args = try ArgumentList(arguments, function: "remove", labels: ["at"], maxPositional: 0)
            let index = try args.int("at")
            guard a.indices.contains(index) else { throw ScriptRuntimeError("remove(at:): index \(index) is out of range for an array of \(a.count) elements") }
            receiver = .void
            let removed = a.remove(at: index)
            receiver = .array(a)
            return removed
        }

        for (name, fromEnd) in [("removeLast", true), ("removeFirst", false)] {
            library.defineMethod(.array, name, mutating: true) { receiver, arguments, _ in
                guard case .array(var a) = receiver else { throw Lib.noMember(name, receiver) }
                let args = try ArgumentList(arguments, function: name, maxPositional: 1)
                if let n = try args[0].map({ try args.toInt($0, "count") }) {
                    guard n >= 0, n <= a.count else { throw ScriptRuntimeError("\(name): cannot remove \(n) elements from an array of \(a.count)") }
                    receiver = .void
                    if fromEnd { a.removeLast(n) } else { a.removeFirst(n) }
                    receiver = .array(a)
                    return .void
                }
                guard !a.isEmpty else { throw ScriptRuntimeError("\(name): the array is empty") }
                receiver = .void
                let removed = fromEnd ? a.removeLast() : a.removeFirst()
                receiver = .array(a)
                return removed
            }
        }

        // `sort()` / `sort(by:)`: in place, like Swift's.
        library.defineMethod(.array, "sort", mutating: true) { receiver, arguments, context in
            guard case .array(var a) = receiver else { throw Lib.noMember("sort", receiver) }
            let args = try ArgumentList(arguments, function: "sort", labels: ["by"], maxPositional: 1)
            if let f = args["by"] ?? args[0] {
                try a.sort { x, y in try Lib.test(f, [Argument(label: nil, value: x), Argument(label: nil, value: y)], context, "sort(by:)") }
            } else {
                try a.sort(by: Lib.less)
            }
            receiver = .array(a)
            return .void
        }

        library.defineMethod(.array, "removeAll", mutating: true) { receiver, arguments, _ in
            _ = try ArgumentList(arguments, function: "removeAll", maxPositional: 0)
            receiver = .array([])
            return .void
        }

        library.defineMethod(.array, "joined") { receiver, arguments, context in
            guard case .array(let a) = receiver else { throw Lib.noMember("joined", receiver) }
            let args = try ArgumentList(arguments, function: "joined", labels: ["separator"], maxPositional: 0)
            let separator = try args.string("separator", default: "") ?? ""
            var parts: [String] = []
            parts.reserveCapacity(a.count)
            for v in a {
                guard case .string(let s) = v else {
                    throw ScriptRuntimeError("joined: the elements must be Strings, got \(Lib.typeName(v))", suggestion: "map them first: .map { String($0) }")
                }
                parts.append(s)
            }
            return .string(parts.joined(separator: separator))
        }

        library.defineMethod(.array, "firstIndex") { receiver, arguments, context in
            guard case .array(let a) = receiver else { throw Lib.noMember("firstIndex", receiver) }
            let args = try ArgumentList(arguments, function: "firstIndex", labels: ["of", "where"], maxPositional: 0)
            if let target = args["of"] { return a.firstIndex(where: { Lib.equal($0, target) }).map(Value.int) ?? .nil }
            let predicate = try args.value("where")
            for (i, v) in a.enumerated() where try Lib.test(predicate, v, context, "firstIndex(where:)") { return .int(i) }
            return .nil
        }

        // Shuffling and sampling use the engine's generator, so `manualSeed` makes them repeatable.
        library.defineMethod(.array, "shuffled") { receiver, arguments, _ in
            guard case .array(var a) = receiver else { throw Lib.noMember("shuffled", receiver) }
            _ = try ArgumentList(arguments, function: "shuffled", maxPositional: 0)
            var i = a.count - 1
            while i > 0 {
                a.swapAt(i, RandomGenerator.global.nextInt(below: i + 1))
                i -= 1
            }
            return .array(a)
        }
        library.defineMethod(.array, "randomElement") { receiver, arguments, _ in
            guard case .array(let a) = receiver else { throw Lib.noMember("randomElement", receiver) }
            _ = try ArgumentList(arguments, function: "randomElement", maxPositional: 0)
            return a.isEmpty ? .nil : a[RandomGenerator.global.nextInt(below: a.count)]
        }

        for name in ["prefix", "suffix", "dropFirst", "dropLast"] {
            library.defineMethod(.array, name) { receiver, arguments, _ in
                guard case .array(let a) = receiver else { throw Lib.noMember(name, receiver) }
                let args = try ArgumentList(arguments, function: name, maxPositional: 1)
                let n = try args[0].map { try args.toInt($0, "count") } ?? (name.hasPrefix("drop") ? 1 : a.count)
                guard n >= 0 else { throw ScriptRuntimeError("\(name): the count must not be negative, got \(n)") }
                switch name {
                case "prefix": return .array(Array(a.prefix(n)))
                case "suffix": return .array(Array(a.suffix(n)))
                case "dropFirst": return .array(Array(a.dropFirst(n)))
                default: return .array(Array(a.dropLast(n)))
                }
            }
        }
    }

    private static func registerRangeAndDictionaryMembers(_ library: BuiltinLibrary) {
        library.defineMethod(.dictionary, "mapValues") { receiver, arguments, context in
            guard case .dictionary(let d) = receiver else { throw Lib.noMember("mapValues", receiver) }
            let transform = try Lib.closureArgument(arguments, "mapValues")
            var result = OrderedDictionary()
            for (key, value) in Swift.zip(d.keys, d.values) {
                result[key] = try context.call(transform, [Argument(label: nil, value: value)])
            }
            return .dictionary(result)
        }
        library.defineProperty(.range, "count") { r in .int(try Lib.rangeBounds(r, "count").count) }
        library.defineProperty(.range, "isEmpty") { r in .bool(try Lib.rangeBounds(r, "isEmpty").isEmpty) }
        library.defineProperty(.range, "lowerBound") { r in
            guard case .range(let lower, _, _) = r, let lower else { throw ScriptRuntimeError("lowerBound: the range has no lower bound") }
            return .int(lower)
        }
        library.defineProperty(.range, "upperBound") { r in
            guard case .range(_, let upper, _) = r, let upper else { throw ScriptRuntimeError("upperBound: the range has no upper bound") }
            return .int(upper)
        }
        library.defineProperty(.range, "first") { r in
            let b = try Lib.rangeBounds(r, "first")
            return b.first.map(Value.int) ?? .nil
        }
        library.defineProperty(.range, "last") { r in
            let b = try Lib.rangeBounds(r, "last")
            return b.last.map(Value.int) ?? .nil
        }

        library.defineProperty(.dictionary, "count") { r in
            guard case .dictionary(let d) = r else { throw Lib.noMember("count", r) }
            return .int(d.count)
        }
        library.defineProperty(.dictionary, "isEmpty") { r in
            guard case .dictionary(let d) = r else { throw Lib.noMember("isEmpty", r) }
            return .bool(d.count == 0)
        }
        library.defineProperty(.dictionary, "keys") { r in
            guard case .dictionary(let d) = r else { throw Lib.noMember("keys", r) }
            return .array(d.keys)
        }
        library.defineProperty(.dictionary, "values") { r in
            guard case .dictionary(let d) = r else { throw Lib.noMember("values", r) }
            return .array(d.values)
        }
        library.defineMethod(.dictionary, "removeValue", mutating: true) { receiver, arguments, _ in
            guard case .dictionary(var d) = receiver else { throw Lib.noMember("removeValue", receiver) }
            let args = try ArgumentList(arguments, function: "removeValue", labels: ["forKey"], maxPositional: 0)
            let key = try args.value("forKey")
            let old = d[key]
            receiver = .void
            d[key] = nil
            receiver = .dictionary(d)
            return old ?? .nil
        }
    }

    /// Members every sequence has: closures over the elements, ordering, searching.
    /// A dictionary's elements are `(key:, value:)` tuples, a string's are one-character strings.
    private static func registerSequenceMembers(_ library: BuiltinLibrary, _ kind: ValueKind, typeName: String = "*",
                                                only: Set<String>? = nil) {
        func define(_ name: String, _ body: @escaping Method) {
            if only?.contains(name) ?? true { library.defineMethod(kind, name, typeName: typeName, body) }
        }
        define("map") { receiver, arguments, context in
            let f = try Lib.closureArgument(arguments, "map")
            let items = try Lib.elements(receiver, "map")
            var result: [Value] = []
            result.reserveCapacity(items.count)
            for item in items { result.append(try context.call(f, [Argument(label: nil, value: item)])) }
            return .array(result)
        }

        define("compactMap") { receiver, arguments, context in
            let f = try Lib.closureArgument(arguments, "compactMap")
            var result: [Value] = []
            for item in try Lib.elements(receiver, "compactMap") {
                let v = try context.call(f, [Argument(label: nil, value: item)])
                if case .nil = v { continue }
                result.append(v)
            }
            return .array(result)
        }

        define("forEach") { receiver, arguments, context in
            let f = try Lib.closureArgument(arguments, "forEach")
            for item in try Lib.elements(receiver, "forEach") { _ = try context.call(f, [Argument(label: nil, value: item)]) }
            return .void
        }

        define("filter") { receiver, arguments, context in
            let f = try Lib.closureArgument(arguments, "filter")
            if case .dictionary(let d) = receiver {
                var result = OrderedDictionary()
                for (k, v) in Swift.zip(d.keys, d.values) where try Lib.test(f, Lib.keyValue(k, v), context, "filter") { result[k] = v }
                return .dictionary(result)
            }
            var result: [Value] = []
            for item in try Lib.elements(receiver, "filter") where try Lib.test(f, item, context, "filter") { result.append(item) }
            if case .string = receiver {
                return .string(result.map { if case .string(let s) = $0 { return s } else { return "" } }.joined())
            }
            return .array(result)
        }

        define("reduce") { receiver, arguments, context in
            guard arguments.count == 2, arguments[0].label == nil, arguments[1].label == nil else {
                throw ScriptRuntimeError("reduce: expected an initial value and a closure, as in reduce(0) { $0 + $1 }")
            }
            var accumulator = arguments[0].value
            let f = arguments[1].value
            for item in try Lib.elements(receiver, "reduce") {
                accumulator = try context.call(f, [Argument(label: nil, value: accumulator), Argument(label: nil, value: item)])
            }
            return accumulator
        }

        define("enumerated") { receiver, arguments, _ in
            _ = try ArgumentList(arguments, function: "enumerated", maxPositional: 0)
            let labels: [String?] = ["offset", "element"]
            return .array(try Lib.elements(receiver, "enumerated").enumerated().map { .tuple([.int($0.offset), $0.element], labels: labels) })
        }

        define("contains") { receiver, arguments, context in
            let args = try ArgumentList(arguments, function: "contains", labels: ["where"], maxPositional: 1)
            if let predicate = args["where"] {
                for item in try Lib.elements(receiver, "contains") where try Lib.test(predicate, item, context, "contains(where:)") { return .bool(true) }
                return .bool(false)
            }
            let target = try args.value(0, "element")
            switch (receiver, target) {
            case (.string(let s), .string(let t)): return .bool(t.isEmpty || s.contains(t))
            case (.range(let lower, let upper, let closed), _):
                guard let x = Lib.double(target) else { return .bool(false) }
                let aboveLower = lower.map { x >= Double($0) } ?? true
                let belowUpper = upper.map { closed ? x <= Double($0) : x < Double($0) } ?? true
                return .bool(aboveLower && belowUpper)
            case (.dictionary, _):
                throw ScriptRuntimeError("contains: use dictionary.keys.contains(key) or dictionary[key] != nil")
            default:
                return .bool(try Lib.elements(receiver, "contains").contains { Lib.equal($0, target) })
            }
        }

        define("allSatisfy") { receiver, arguments, context in
            let f = try Lib.closureArgument(arguments, "allSatisfy")
            for item in try Lib.elements(receiver, "allSatisfy") where !(try Lib.test(f, item, context, "allSatisfy")) { return .bool(false) }
            return .bool(true)
        }

        define("first") { receiver, arguments, context in
            let args = try ArgumentList(arguments, function: "first", labels: ["where"], maxPositional: 0)
            let predicate = try args.value("where")
            for item in try Lib.elements(receiver, "first(where:)") where try Lib.test(predicate, item, context, "first(where:)") { return item }
            return .nil
        }

        define("sorted") { receiver, arguments, context in
            let args = try ArgumentList(arguments, function: "sorted", labels: ["by"], maxPositional: 1)
            let items = try Lib.elements(receiver, "sorted")
            if let f = args["by"] ?? args[0] {
                return .array(try items.sorted { a, b in
                    try Lib.test(f, [Argument(label: nil, value: a), Argument(label: nil, value: b)], context, "sorted(by:)")
                })
            }
            return .array(try items.sorted(by: Lib.less))
        }

        define("reversed") { receiver, arguments, _ in
            _ = try ArgumentList(arguments, function: "reversed", maxPositional: 0)
            if case .string(let s) = receiver { return .string(String(s.reversed())) }
            return .array(try Lib.elements(receiver, "reversed").reversed())
        }

        for (name, wantMax) in [("min", false), ("max", true)] {
            define(name) { receiver, arguments, context in
                let args = try ArgumentList(arguments, function: name, labels: ["by"], maxPositional: 1)
                let items = try Lib.elements(receiver, name)
                guard var best = items.first else { return .nil }
                let order = args["by"] ?? args[0]
                for item in items.dropFirst() {
                    let better: Bool
                    if let order {
                        let pair = wantMax ? [best, item] : [item, best]
                        better = try Lib.test(order, pair.map { Argument(label: nil, value: $0) }, context, name + "(by:)")
                    } else {
                        better = wantMax ? try Lib.less(best, item) : try Lib.less(item, best)
                    }
                    if better { best = item }
                }
                return best
            }
        }
    }
}

extension Lib {
    /// The largest collection a built-in builds in one go (keeps `stride` and `Array(repeating:)`
    /// from exhausting memory on a typo).
    static let maxCollectionLength = 50_000_000

    static func checkLength(_ n: Int, _ function: String) throws {
        if n > maxCollectionLength {
            throw ScriptRuntimeError("\(function): \(n) elements is more than the limit of \(maxCollectionLength)")
        }
    }

    /// The bounds of a range usable as a sequence (both ends known).
    static func rangeBounds(_ value: Value, _ function: String) throws -> Range<Int> {
        guard case .range(let lower, let upper, let closed) = value else { throw noMember(function, value) }
        guard let lower, let upper else { throw ScriptRuntimeError("\(function): the range must have both bounds") }
        if closed {
            guard upper < Int.max else { throw ScriptRuntimeError("\(function): the range's upper bound is too large") }
            return try counted(lower..<Swift.max(lower, upper + 1), function)
        }
        return try counted(lower..<Swift.max(lower, upper), function)
    }

    /// `range`, when its element count fits in an Int (`Int.min..<Int.max` does not).
    private static func counted(_ range: Range<Int>, _ function: String) throws -> Range<Int> {
        guard !range.upperBound.subtractingReportingOverflow(range.lowerBound).overflow else {
            throw ScriptRuntimeError("\(function): the range \(range.lowerBound)..<\(range.upperBound) has more elements than an Int can count")
        }
        return range
    }

    static func keyValue(_ key: Value, _ value: Value) -> Value {
        .tuple([key, value], labels: ["key", "value"])
    }

    /// The elements of anything sequence-like, as an array.
    static func elements(_ value: Value, _ function: String) throws -> [Value] {
        switch value {
        case .array(let a): return a
        case .range:
            let r = try rangeBounds(value, function)
            try checkLength(r.count, function)
            return r.map(Value.int)
        case .string(let s): return s.map { .string(String($0)) }
        case .dictionary(let d): return Swift.zip(d.keys, d.values).map { keyValue($0, $1) }
        case .tuple(let items, _): return items
        case .native(let list as ParameterList): return list.parameters.map { .tensor($0.value) }
        case .tensor(let t):
            // Iterating a tensor gives its slices along the first dimension, as in PyTorch.
            guard t.rank > 0 else { throw ScriptRuntimeError("\(function): cannot iterate over a 0-d tensor") }
            return try (0..<t.shape[0]).map { .tensor(try t.slice([.at($0)])) }
        default:
            throw ScriptRuntimeError("\(function): \(typeName(value)) is not a sequence")
        }
    }

    /// The closure argument of `map`-like members: one unlabelled argument (or a trailing closure).
    static func closureArgument(_ arguments: [Argument], _ function: String) throws -> Value {
        guard arguments.count == 1 else { throw ScriptRuntimeError("\(function): expected one closure argument, got \(arguments.count) arguments") }
        return arguments[0].value
    }

    /// Calls a predicate and insists on a Bool.
    static func test(_ predicate: Value, _ item: Value, _ context: CallContext, _ function: String) throws -> Bool {
        try test(predicate, [Argument(label: nil, value: item)], context, function)
    }

    static func test(_ predicate: Value, _ arguments: [Argument], _ context: CallContext, _ function: String) throws -> Bool {
        let result = try context.call(predicate, arguments)
        guard case .bool(let b) = result else {
            throw ScriptRuntimeError("\(function): the closure must return a Bool, got \(typeName(result))")
        }
        return b
    }

    /// Structural equality, as `==` compares in Swift (Int and Double compare by value).
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.nil, .nil), (.void, .void): return true
        case (.array(let x), .array(let y)), (.tuple(let x, _), .tuple(let y, _)):
            return x.count == y.count && Swift.zip(x, y).allSatisfy { equal($0, $1) }
        case (.dictionary(let x), .dictionary(let y)):
            return x.count == y.count && Swift.zip(x.keys, x.values).allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
        case (.range(let l1, let u1, let c1), .range(let l2, let u2, let c2)): return l1 == l2 && u1 == u2 && c1 == c2
        case (.module(let x), .module(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        case (.native(let x), .native(let y)): return x === y
        case (.implicitMember(let x), .implicitMember(let y)): return x == y
        case (.tensor(let x), .tensor(let y)): return x.shape == y.shape && x.scalars == y.scalars
        default:
            if let x = double(a), let y = double(b) { return x == y }
            return false
        }
    }

    /// `a < b` for the values Swift can order: numbers, strings, and tuples of them.
    static func less(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.string(let x), .string(let y)): return x < y
        case (.tuple(let x, _), .tuple(let y, _)):
            for (p, q) in Swift.zip(x, y) {
                if try less(p, q) { return true }
                if try less(q, p) { return false }
            }
            return x.count < y.count
        default:
            if let x = double(a), let y = double(b) { return x < y }
            throw ScriptRuntimeError("cannot compare \(typeName(a)) with \(typeName(b))", suggestion: "use sorted(by:) with a closure")
        }
    }
}
