import XCTest
import Foundation
@testable import LessonScript
@testable import TensorEngine

/// Built-ins called directly through `BuiltinLibrary.standard()`, with a test context that
/// records output and runs Swift closures in place of script closures.
final class LibraryTests: XCTestCase {
    // MARK: Test harness

    /// A Swift closure standing in for a script closure.
    final class TestFunction: Callable {
        let body: ([Value]) throws -> Value
        init(_ body: @escaping ([Value]) throws -> Value) {
            self.body = body
            super.init(name: "closure")
        }
    }

    final class RecordingHost: ScriptHost {
        var text = ""
        var outputs: [RichOutput] = []
        var progress: [(String, Int, Int)] = []
        func write(_ text: String) { self.text += text }
        func display(_ output: RichOutput) { outputs.append(output) }
        func progress(_ label: String, completed: Int, total: Int) { progress.append((label, completed, total)) }
    }

    final class TestContext: CallContext {
        let recorder = RecordingHost()
        var host: ScriptHost { recorder }
        var gradEnabledDuringCalls: [Bool] = []
        func call(_ function: Value, _ arguments: [Argument]) throws -> Value {
            guard case .function(let f as TestFunction) = function else { throw ScriptRuntimeError("not a test function") }
            gradEnabledDuringCalls.append(GradMode.isEnabled)
            return try f.body(arguments.map(\.value))
        }
        /// A small stand-in for the interpreter's `print` form.
        func describe(_ value: Value) -> String {
            switch value {
            case .int(let i): return String(i)
            case .double(let d): return d.description
            case .bool(let b): return b ? "true" : "false"
            case .string(let s): return s
            case .nil: return "nil"
            case .array(let items): return "[" + items.map(describe).joined(separator: ", ") + "]"
            case .tuple(let items, _): return "(" + items.map(describe).joined(separator: ", ") + ")"
            case .tensor(let t): return "tensor(\(t.shape))"
            case .module(let m): return m.moduleDescription
            case .native(let n): return n.displayDescription
            default: return "\(value.kind)"
            }
        }
    }

    var library: BuiltinLibrary!
    var context: TestContext!

    override func setUp() {
        library = BuiltinLibrary.standard()
        context = TestContext()
        manualSeed(0)
    }

    func fn(_ body: @escaping ([Value]) throws -> Value) -> Value { .function(TestFunction(body)) }

    /// Calls the global built-in `name` with unlabelled values and labelled ones.
    @discardableResult
    func call(_ name: String, _ positional: [Value] = [], _ labelled: KeyValuePairs<String, Value> = [:]) throws -> Value {
        let body = try XCTUnwrap(library.functions[name], "no built-in \(name)")
        return try body(positional.map { Argument(label: nil, value: $0) } + labelled.map { Argument(label: $0.key, value: $0.value) }, context)
    }

    /// Calls `receiver.name(...)` and returns the result and the (possibly mutated) receiver.
    @discardableResult
    func member(_ receiver: inout Value, _ name: String, _ positional: [Value] = [], _ labelled: KeyValuePairs<String, Value> = [:]) throws -> Value {
        let (body, _) = try XCTUnwrap(library.method(for: receiver, named: name), "no method \(name) on \(receiver.kind)")
        return try body(&receiver, positional.map { Argument(label: nil, value: $0) } + labelled.map { Argument(label: $0.key, value: $0.value) }, context)
    }

    @discardableResult
    func member(_ receiver: Value, _ name: String, _ positional: [Value] = [], _ labelled: KeyValuePairs<String, Value> = [:]) throws -> Value {
        var copy = receiver
        return try member(&copy, name, positional, labelled)
    }

    func property(_ receiver: Value, _ name: String) throws -> Value {
        try XCTUnwrap(library.property(for: receiver, named: name), "no property \(name) on \(receiver.kind)").get(receiver)
    }

    func ints(_ values: [Int]) -> Value { .array(values.map(Value.int)) }

    func tensorOf(_ value: Value, file: StaticString = #filePath, line: UInt = #line) throws -> Tensor {
        guard case .tensor(let t) = value else {
            XCTFail("expected a tensor, got \(value.kind)", file: file, line: line)
            throw ScriptRuntimeError("not a tensor")
        }
        return t
    }

    func assertThrows(_ expected: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) {
        do {
            _ = try body()
            XCTFail("expected an error containing \"\(expected)\"", file: file, line: line)
        } catch {
            XCTAssertTrue("\(error)".contains(expected), "\"\(error)\" does not contain \"\(expected)\"", file: file, line: line)
        }
    }

    func nested(_ rows: [[Double]]) -> Value { .array(rows.map { .array($0.map(Value.double)) }) }

    /// Every global built-in appears, in code form, in the reference.
    func testEveryGlobalBuiltinIsDocumented() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/language.md")
        let doc = try String(contentsOf: url, encoding: .utf8)
        // The name in code, not as the prefix of a longer one (`log` is not documented by `log2`).
        let missing = library.globalNames.filter { name in
            doc.ranges(of: "`" + name).allSatisfy { r in
                r.upperBound < doc.endIndex && (doc[r.upperBound].isLetter || doc[r.upperBound].isNumber || doc[r.upperBound] == "_")
            }
        }.sorted()
        XCTAssertEqual(missing, [], "built-ins missing from docs/language.md")
    }

    // MARK: Printing and formatting

    func testPrintJoinsWithSeparatorAndTerminator() throws {
        try call("print", [.int(1), .string("a"), .double(2.5)])
        try call("print", [.int(1), .int(2)], ["separator": .string(", "), "terminator": .string("!")])
        XCTAssertEqual(context.recorder.text, "1 a 2.5\n1, 2!")
        assertThrows("print: unexpected argument label 'seperator'; did you mean 'separator'?") {
            try self.call("print", [.int(1)], ["seperator": .string("")])
        }
    }

    func testStringFormat() throws {
        // The helper `call` puts labelled arguments last; String(format:) needs the format first.
        func formatFirst(_ f: String, _ values: [Value]) throws -> String {
            let body = try XCTUnwrap(library.functions["String"])
            guard case .string(let s) = try body([Argument(label: "format", value: .string(f))] + values.map { Argument(label: nil, value: $0) }, context) else { return "" }
            return s
        }
        XCTAssertEqual(try formatFirst("epoch %d, loss %.4f", [.int(3), .double(0.123456)]), "epoch 3, loss 0.1235")
        XCTAssertEqual(try formatFirst("[%5.2f] [%-6s] [%6s] %e %%", [.double(3.14159), .string("ab"), .string("cd"), .double(12345.678)]),
                       "[ 3.14] [ab    ] [    cd] 1.234568e+04 %")
        XCTAssertEqual(try formatFirst("%03d|%x|%f|%s", [.int(7), .int(255), .int(2), .array([.int(1)])]), "007|ff|2.000000|[1]")
        assertThrows("'%d' expects an Int, got Double") { try formatFirst("%d", [.double(1.5)]) }
        assertThrows("more conversions") { try formatFirst("%d %d", [.int(1)]) }
        assertThrows("1 conversion but 2 arguments") { try formatFirst("%d", [.int(1), .int(2)]) }
    }

    func testStringConversions() throws {
        XCTAssertEqual(try call("String", [.int(42)]).kind, .string)
        if case .string(let s) = try call("String", [.double(0.5)]) { XCTAssertEqual(s, "0.5") } else { XCTFail() }
        if case .string(let s) = try call("String", [], ["repeating": .string("ab"), "count": .int(3)]) { XCTAssertEqual(s, "ababab") } else { XCTFail() }
    }

    // MARK: Assertions

    func testAssertionsStopWithTheirMessageOnlyWhenTheyFail() throws {
        XCTAssertEqual(try call("precondition", [.bool(true), .string("unused")]).kind, .void)
        XCTAssertEqual(try call("assert", [.bool(true)]).kind, .void)
        assertThrows("precondition failed: x must be positive") { try self.call("precondition", [.bool(false), .string("x must be positive")]) }
        assertThrows("assertion failed: shapes differ") { try self.call("assert", [.bool(false), .string("shapes differ")]) }
        assertThrows("fatal error: unreachable") { try self.call("fatalError", [.string("unreachable")]) }
        assertThrows("precondition failed: no") { try self.call("preconditionFailure", [.string("no")]) }
        assertThrows("assertion failed: no") { try self.call("assertionFailure", [.string("no")]) }
        // Without a message: just what failed.
        for (name, args, text) in [("fatalError", [Value](), "fatal error"), ("precondition", [.bool(false)], "precondition failed"),
                                   ("assert", [.bool(false)], "assertion failed")] {
            XCTAssertThrowsError(try call(name, args)) { XCTAssertEqual("\($0)", text) }
        }
        assertThrows("precondition: argument 'condition' must be a Bool, got Int") { try self.call("precondition", [.int(1), .string("m")]) }
        assertThrows("assert: argument 'message' must be a String, got Int") { try self.call("assert", [.bool(true), .int(3)]) }
        assertThrows("fatalError: expected at most 1 unlabelled argument, got 2") { try self.call("fatalError", [.string("a"), .string("b")]) }
    }

    // MARK: Numbers

    func testIntAndDoubleConversions() throws {
        XCTAssertTrue(Lib.equal(try call("Int", [.double(-2.7)]), .int(-2)))
        XCTAssertTrue(Lib.equal(try call("Int", [.string("12")]), .int(12)))
        XCTAssertTrue(Lib.equal(try call("Int", [.string("x")]), .nil))
        XCTAssertTrue(Lib.equal(try call("Double", [.int(3)]), .double(3)))
        XCTAssertTrue(Lib.equal(try call("Double", [.string("2.5")]), .double(2.5)))
        assertThrows("cannot be converted to Int") { try self.call("Int", [.double(.nan)]) }
        assertThrows("cannot be converted to Int") { try self.call("Int", [.double(1e300)]) }
    }

    func testMathFunctions() throws {
        XCTAssertTrue(Lib.equal(try call("min", [.int(3), .int(1), .int(2)]), .int(1)))
        XCTAssertTrue(Lib.equal(try call("max", [.int(3), .double(4.5)]), .double(4.5)))
        XCTAssertTrue(Lib.equal(try call("abs", [.int(-3)]), .int(3)))
        XCTAssertTrue(Lib.equal(try call("sqrt", [.int(16)]), .double(4)))
        XCTAssertTrue(Lib.equal(try call("pow", [.int(2), .int(10)]), .double(1024)))
        XCTAssertTrue(Lib.equal(try call("floor", [.double(-1.5)]), .double(-2)))
        XCTAssertTrue(Lib.equal(try call("round", [.double(2.5)]), .double(3)))
        XCTAssertTrue(Lib.equal(try XCTUnwrap(library.constants["Double.pi"]), .double(Double.pi)))
        XCTAssertTrue(Lib.equal(try XCTUnwrap(library.constants["Int.max"]), .int(Int.max)))
        assertThrows("abs: Int overflow") { try self.call("abs", [.int(Int.min)]) }
        assertThrows("min: expected at least 2 arguments") { try self.call("min", [.int(1)]) }
        // The same names take tensors.
        let e = try tensorOf(try call("exp", [.tensor(try Tensor(shape: [2], scalars: [0, 1]))]))
        XCTAssertEqual(e.scalars[1], Float(M_E), accuracy: 1e-6)
    }

    func testRandomNumbersFollowTheEngineSeed() throws {
        manualSeed(5)
        let a = try call("Int.random", [], ["in": .range(lower: 0, upper: 1000, closed: false)])
        let shuffled = try member(ints(Array(0..<20)), "shuffled")
        manualSeed(5)
        XCTAssertTrue(Lib.equal(try call("Int.random", [], ["in": .range(lower: 0, upper: 1000, closed: false)]), a))
        XCTAssertTrue(Lib.equal(try member(ints(Array(0..<20)), "shuffled"), shuffled))
        XCTAssertFalse(Lib.equal(shuffled, ints(Array(0..<20))))
        let d = try XCTUnwrap(Lib.double(try call("Double.random", [], ["in": .range(lower: 2, upper: 3, closed: false)])))
        XCTAssertTrue(d >= 2 && d < 3)
        assertThrows("Int.random(in:): the range must be non-empty") { try self.call("Int.random", [], ["in": .range(lower: 3, upper: 3, closed: false)]) }
        assertThrows("Int.random(in:): the range must be non-empty") { try self.call("Int.random", [], ["in": .range(lower: Int.min, upper: Int.max, closed: true)]) }
    }

    // MARK: Collections and strings

    func testSequenceFunctions() throws {
        XCTAssertTrue(Lib.equal(try call("stride", [], ["from": .int(0), "to": .int(10), "by": .int(3)]), ints([0, 3, 6, 9])))
        XCTAssertTrue(Lib.equal(try call("stride", [], ["from": .int(10), "through": .int(0), "by": .int(-5)]), ints([10, 5, 0])))
        XCTAssertTrue(Lib.equal(try call("stride", [], ["from": .double(0), "to": .double(1), "by": .double(0.5)]), .array([.double(0), .double(0.5)])))
        XCTAssertTrue(Lib.equal(try call("Array", [.range(lower: 1, upper: 3, closed: true)]), ints([1, 2, 3])))
        XCTAssertTrue(Lib.equal(try call("Array", [], ["repeating": .int(0), "count": .int(2)]), ints([0, 0])))
        let zipped = try call("zip", [ints([1, 2, 3]), .array([.string("a"), .string("b")])])
        XCTAssertTrue(Lib.equal(zipped, .array([.tuple([.int(1), .string("a")], labels: [nil, nil]), .tuple([.int(2), .string("b")], labels: [nil, nil])])))
        assertThrows("stride: 'by' must not be zero") { try self.call("stride", [], ["from": .int(0), "to": .int(1), "by": .int(0)]) }
    }

    func testArrayMembers() throws {
        var a = ints([3, 1, 2])
        try member(&a, "append", [.int(5)])
        XCTAssertTrue(Lib.equal(a, ints([3, 1, 2, 5])))
        XCTAssertTrue(try XCTUnwrap(library.method(for: a, named: "append")).isMutating)
        XCTAssertTrue(Lib.equal(try member(&a, "remove", [], ["at": .int(0)]), .int(3)))
        XCTAssertTrue(Lib.equal(try member(&a, "removeLast"), .int(5)))
        XCTAssertTrue(Lib.equal(a, ints([1, 2])))
        XCTAssertTrue(Lib.equal(try property(a, "count"), .int(2)))
        XCTAssertTrue(Lib.equal(try property(ints([]), "first"), .nil))
        assertThrows("remove(at:): index 7 is out of range") { try self.member(a, "remove", [], ["at": .int(7)]) }

        let doubled = try member(ints([1, 2, 3]), "map", [fn { v in .int((Lib.int(v[0]) ?? 0) * 2) }])
        XCTAssertTrue(Lib.equal(doubled, ints([2, 4, 6])))
        let odd = try member(ints([1, 2, 3]), "filter", [fn { v in .bool((Lib.int(v[0]) ?? 0) % 2 == 1) }])
        XCTAssertTrue(Lib.equal(odd, ints([1, 3])))
        let sum = try member(.range(lower: 0, upper: 5, closed: false), "reduce", [.int(0), fn { v in .int(Lib.int(v[0])! + Lib.int(v[1])!) }])
        XCTAssertTrue(Lib.equal(sum, .int(10)))
        XCTAssertTrue(Lib.equal(try member(ints([3, 1, 2]), "sorted"), ints([1, 2, 3])))
        let descending = try member(ints([3, 1, 2]), "sorted", [], ["by": fn { v in .bool(Lib.int(v[0])! > Lib.int(v[1])!) }])
        XCTAssertTrue(Lib.equal(descending, ints([3, 2, 1])))
        XCTAssertTrue(Lib.equal(try member(ints([3, 1, 2]), "max"), .int(3)))
        XCTAssertTrue(Lib.equal(try member(ints([]), "min"), .nil))
        XCTAssertTrue(Lib.equal(try member(ints([1, 2]), "reversed"), ints([2, 1])))
        XCTAssertTrue(Lib.equal(try member(ints([1, 2]), "contains", [.int(2)]), .bool(true)))
        XCTAssertTrue(Lib.equal(try member(.array([.string("a"), .string("b")]), "joined", [], ["separator": .string("-")]), .string("a-b")))
        let enumerated = try member(.array([.string("x")]), "enumerated")
        XCTAssertTrue(Lib.equal(enumerated, .array([.tuple([.int(0), .string("x")], labels: ["offset", "element"])])))
        assertThrows("filter: the closure must return a Bool, got Int") { try self.member(ints([1]), "filter", [self.fn { _ in .int(1) }]) }
        assertThrows("joined: the elements must be Strings, got Int") { try self.member(ints([1]), "joined") }
    }

    func testRangeDictionaryAndStringMembers() throws {
        let r = Value.range(lower: 2, upper: 5, closed: true)
        XCTAssertTrue(Lib.equal(try property(r, "count"), .int(4)))
        XCTAssertTrue(Lib.equal(try property(r, "upperBound"), .int(5)))
        var d = OrderedDictionary()
        d[.string("b")] = .int(1)
        d[.string("a")] = .int(2)
        XCTAssertTrue(Lib.equal(try property(.dictionary(d), "keys"), .array([.string("b"), .string("a")])))
        XCTAssertTrue(Lib.equal(try property(.dictionary(d), "count"), .int(2)))

        let s = Value.string("Hello, world")
        XCTAssertTrue(Lib.equal(try property(s, "count"), .int(12)))
        XCTAssertTrue(Lib.equal(try member(s, "uppercased"), .string("HELLO, WORLD")))
        XCTAssertTrue(Lib.equal(try member(s, "hasPrefix", [.string("Hell")]), .bool(true)))
        XCTAssertTrue(Lib.equal(try member(s, "split", [], ["separator": .string(",")]), .array([.string("Hello"), .string(" world")])))
        XCTAssertTrue(Lib.equal(try member(.string("ab"), "padding", [], ["toLength": .int(5), "withPad": .string("."), "startingAt": .int(0)]),
                                .string("ab...")))
        XCTAssertTrue(Lib.equal(try member(.string("abcdef"), "padding", [], ["toLength": .int(3), "withPad": .string(" "), "startingAt": .int(0)]),
                                .string("abc")))
    }

    // MARK: Argument checking

    func testUnknownLabelSuggestsTheNearestOne() throws {
        let x = try call("zeros", [ints([1, 1, 4, 4])])
        let w = try call("ones", [ints([1, 1, 2, 2])])
        assertThrows("conv2d: unexpected argument label 'strid'; did you mean 'stride'?") {
            try self.call("conv2d", [x], ["weight": w, "strid": .int(1)])
        }
        assertThrows("conv2d: argument 'padding' must be an Int or an (h, w) tuple of Ints, got String") {
            try self.call("conv2d", [x], ["weight": w, "padding": .string("same")])
        }
        assertThrows("conv2d: missing argument 'weight'") { try self.call("conv2d", [x]) }
        assertThrows("Linear: expected at most 2 unlabelled arguments, got 3") { try self.call("Linear", [.int(1), .int(2), .int(3)]) }
    }

    func testExtremeArgumentsAreErrorsNotCrashes() throws {
        assertThrows("stride: ") { try self.call("stride", [], ["from": .int(Int.min), "to": .int(Int.max), "by": .int(1)]) }
        assertThrows("arange: ") { try self.call("arange", [.double(0), .double(1e300), .double(1e-300)]) }
        assertThrows("String(repeating:count:): ") { try self.call("String", [], ["repeating": .string("ab"), "count": .int(Int.max)]) }
        assertThrows("randint: the range") { try self.call("randint", [.int(Int.min), .int(Int.max), self.ints([1])]) }
        assertThrows("allocation") { try self.call("zeros", [.int(1 << 20), .int(1 << 20)]) }
        assertThrows("Array(repeating:count:): ") { try self.call("Array", [], ["repeating": .int(0), "count": .int(Int.max)]) }
        assertThrows("padding: toLength") { try self.member(.string("a"), "padding", [], ["toLength": .int(Int.max), "withPad": .string(" "), "startingAt": .int(0)]) }
    }

    // MARK: Tensors

    func testTensorLiteralInfersTheElementType() throws {
        let ints = try tensorOf(try call("tensor", [.array([self.ints([0, 1]), self.ints([2, 3])])]))
        XCTAssertEqual(ints.shape, [2, 2])
        XCTAssertEqual(ints.dtype, .int64)
        let reals = try tensorOf(try call("tensor", [.array([.int(1), .double(2.5)])]))
        XCTAssertEqual(reals.dtype, .float32)
        XCTAssertEqual(reals.scalars, [1, 2.5])
        let forced = try tensorOf(try call("tensor", [.array([.double(1.7)])], ["dtype": .implicitMember("int64")]))
        XCTAssertEqual(forced.scalars, [1])
        assertThrows("tensor: expected sequence of length 2 at dim 1 (got 1)") {
            try self.call("tensor", [.array([self.ints([1, 2]), self.ints([3])])])
        }
        assertThrows("tensor: expected numbers or nested arrays of numbers, got String") { try self.call("tensor", [.array([.string("a")])]) }
    }

    func testCreationFunctions() throws {
        XCTAssertEqual(try tensorOf(try call("zeros", [.int(2), .int(3)])).shape, [2, 3])
        XCTAssertEqual(try tensorOf(try call("ones", [ints([4])])).scalars, [1, 1, 1, 1])
        let full = try tensorOf(try call("full", [ints([2]), .int(7)]))
        XCTAssertEqual(full.dtype, .int64)
        XCTAssertEqual(full.scalars, [7, 7])
        let r = try tensorOf(try call("arange", [.int(1), .int(7), .int(2)]))
        XCTAssertEqual(r.scalars, [1, 3, 5])
        XCTAssertEqual(r.dtype, .int64)
        XCTAssertEqual(try tensorOf(try call("arange", [.double(2)])).dtype, .float32)
        XCTAssertEqual(try tensorOf(try call("eye", [.int(2)])).scalars, [1, 0, 0, 1])
        XCTAssertEqual(try tensorOf(try call("linspace", [.int(0), .int(1), .int(3)])).scalars, [0, 0.5, 1])
        try call("manualSeed", [.int(3)])
        let a = try tensorOf(try call("randn", [.int(2), .int(3)]))
        try call("manualSeed", [.int(3)])
        let b = try tensorOf(try call("randn", [ints([2, 3])]))
        XCTAssertEqual(a.scalars, b.scalars)
        let k = try tensorOf(try call("randint", [.int(0), .int(3), ints([50])]))
        XCTAssertTrue(k.scalars.allSatisfy { (0..<3).contains($0) })
        assertThrows("zeros: the shape must be Ints") { try self.call("zeros", [.double(2)]) }
    }

    func testConvolutionAndPoolingFunctions() throws {
        let x = try call("tensor", [nested([[3, 4, 6, 5, 7], [2, 4, 6, 8, 2], [1, 6, 7, 8, 4], [9, 7, 4, 6, 2], [3, 7, 5, 4, 1]])])
        let input = try member(x, "reshape", [.int(1), .int(1), .int(5), .int(5)])
        let kernel = try member(try call("arange", [.int(1), .int(10)]), "float")
        let weight = try member(kernel, "view", [ints([1, 1, 3, 3])])
        let y = try tensorOf(try call("conv2d", [input], ["weight": weight, "padding": .int(1), "stride": .int(2)]))
        XCTAssertEqual(y.shape, [1, 1, 3, 3])
        XCTAssertEqual(y.scalars, [91, 224, 127, 192, 282, 122, 96, 110, 31])

        let grid = try member(try call("arange", [.double(16)]), "reshape", [.int(1), .int(1), .int(4), .int(4)])
        let pooled = try tensorOf(try call("maxPool2d", [grid, .int(3)], ["padding": .int(1), "stride": .int(2)]))
        XCTAssertEqual(pooled.scalars, [5, 7, 13, 15])
        let window = try tensorOf(try call("maxPool2d", [grid], ["kernelSize": .tuple([.int(2), .int(4)], labels: [nil, nil]),
                                                                 "padding": .tuple([.int(1), .int(2)], labels: [nil, nil]),
                                                                 "stride": .tuple([.int(2), .int(3)], labels: [nil, nil])]))
        XCTAssertEqual(window.scalars, [1, 3, 9, 11, 13, 15])
        let avg = try tensorOf(try call("avgPool2d", [grid, .int(2)]))
        XCTAssertEqual(avg.scalars, [2.5, 4.5, 10.5, 12.5])
        let corr = try tensorOf(try call("corr2d", [try member(try call("arange", [.double(9)]), "reshape", [.int(3), .int(3)]),
                                                   try call("tensor", [nested([[0, 1], [2, 3]])])]))
        XCTAssertEqual(corr.scalars, [19, 25, 37, 43])
    }

    func testTensorMembers() throws {
        let t = try call("arange", [.double(6)])
        let m = try member(t, "reshape", [.int(2), .int(3)])
        XCTAssertTrue(Lib.equal(try property(m, "shape"), ints([2, 3])))
        XCTAssertTrue(Lib.equal(try property(m, "dtype"), .string("float32")))
        XCTAssertEqual(try tensorOf(try member(m, "sum", [], ["dim": .int(0)])).scalars, [3, 5, 7])
        XCTAssertEqual(try tensorOf(try member(m, "sum", [], ["dim": .int(1), "keepDim": .bool(true)])).shape, [2, 1])
        XCTAssertTrue(Lib.equal(try member(try member(m, "sum"), "item"), .double(15)))
        XCTAssertTrue(Lib.equal(try member(try member(m, "argmax"), "item"), .int(5)))
        XCTAssertEqual(try tensorOf(try member(m, "argmax", [], ["dim": .int(1)])).scalars, [2, 2])
        XCTAssertEqual(try tensorOf(try property(m, "T")).shape, [3, 2])
        XCTAssertEqual(try tensorOf(try member(m, "permute", [.int(1), .int(0)])).shape, [3, 2])
        XCTAssertEqual(try tensorOf(try member(m, "flatten")).shape, [6])
        XCTAssertEqual(try tensorOf(try member(m, "unsqueeze", [.int(0)])).shape, [1, 2, 3])
        XCTAssertTrue(Lib.equal(try member(m, "toArray"), .array([.array([.double(0), .double(1), .double(2)]), .array([.double(3), .double(4), .double(5)])])))
        XCTAssertTrue(Lib.equal(try property(m, "grad"), .nil))
        assertThrows("item: only a tensor with one element") { try self.member(m, "item") }
        assertThrows("reshape: expected Ints, got String") { try self.member(m, "reshape", [.string("x")]) }
    }

    func testFlipAndIterationOverTensors() throws {
        let k = try call("tensor", [nested([[1, 2], [3, 4]])])
        XCTAssertEqual(try tensorOf(try member(k, "flip", [.int(0), .int(1)])).scalars, [4, 3, 2, 1])
        XCTAssertEqual(try tensorOf(try member(k, "flip", [ints([1])])).scalars, [2, 1, 4, 3])
        assertThrows("flip: dimension 2 is out of range") { try self.member(k, "flip", [.int(2)]) }
        // A tensor maps over its first dimension; its own max stays the reduction.
        let rowSums = try member(k, "map", [fn { v in v[0] }])
        guard case .array(let rows) = rowSums else { return XCTFail() }
        XCTAssertEqual(try rows.map { try tensorOf($0).scalars }, [[1, 2], [3, 4]])
        XCTAssertEqual(try tensorOf(try member(k, "max")).scalars, [4])
    }

    func testRequiresGradSetterAndBackward() throws {
        var x = try call("tensor", [.array([.double(1), .double(2)])])
        let setter = try XCTUnwrap(library.property(for: x, named: "requiresGrad")?.set)
        try setter(&x, .bool(true))
        XCTAssertTrue(Lib.equal(try property(x, "requiresGrad"), .bool(true)))
        let y = try member(try member(x, "pow", [.int(2)]), "sum")
        try member(y, "backward")
        XCTAssertEqual(try tensorOf(try property(x, "grad")).scalars, [2, 4])
        _ = try member(x, "zeroGrad")
        XCTAssertTrue(Lib.equal(try property(x, "grad"), .nil))
        var ints = try call("tensor", [self.ints([1])])
        assertThrows("only floating point tensors can require gradients") { try setter(&ints, .bool(true)) }
    }

    // MARK: Layers and modules

    func testLayersAndModuleMembers() throws {
        let conv = try call("Conv2d", [.int(1), .int(6)], ["kernelSize": .int(5), "padding": .int(2)])
        guard case .module(let convModule) = conv else { return XCTFail("not a module") }
        XCTAssertEqual(convModule.moduleDescription, "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))")
        XCTAssertTrue(Lib.equal(try property(conv, "parameterCount"), .int(156)))
        XCTAssertTrue(Lib.equal(try property(conv, "kernelSize"), .tuple([.int(5), .int(5)], labels: [nil, nil])))
        let noBias = try call("Conv2d", [.int(2), .int(3)], ["kernelSize": .tuple([.int(3), .int(5)], labels: [nil, nil]), "bias": .bool(false)])
        XCTAssertTrue(Lib.equal(try property(noBias, "bias"), .nil))
        XCTAssertEqual(try tensorOf(try property(noBias, "weight")).shape, [3, 2, 3, 5])

        // Assigning the weight keeps the parameter object, so an optimiser made before still sees it.
        let parametersBefore = convModule.parameters
        var receiver = conv
        let weightSetter = try XCTUnwrap(library.property(for: conv, named: "weight")?.set)
        try weightSetter(&receiver, try call("ones", [ints([6, 1, 5, 5])]))
        XCTAssertTrue(parametersBefore[0] === convModule.parameters[0])
        XCTAssertEqual(convModule.parameters[0].value.scalars.first, 1)
        assertThrows("Conv2d.weight: expected a tensor of shape [6, 1, 5, 5], got [2]") {
            try weightSetter(&receiver, try self.call("ones", [self.ints([2])]))
        }

        let net = try call("Sequential", [conv, try call("ReLU"), try call("MaxPool2d", [.int(2)], ["stride": .int(2)]),
                                          try call("Flatten"), try call("Linear", [.int(6 * 14 * 14), .int(10)])])
        XCTAssertTrue(Lib.equal(try property(net, "count"), .int(5)))
        let first = try member(net, "subscript", [.int(0)])
        if case .module(let m) = first { XCTAssertTrue(m === convModule) } else { XCTFail() }
        XCTAssertTrue(Lib.equal(try property(try property(net, "parameters"), "count"), .int(4)))
        _ = try member(net, "eval")
        XCTAssertTrue(Lib.equal(try property(conv, "isTraining"), .bool(false)))
        let named = try property(net, "namedParameters")
        guard case .array(let pairs) = named, case .tuple(let firstPair, _) = pairs[0] else { return XCTFail() }
        XCTAssertTrue(Lib.equal(firstPair[0], .string("0.weight")))
        assertThrows("Sequential: argument 1 is Int, not a module") { try self.call("Sequential", [conv, .int(3)]) }
        assertThrows("MaxPool2d: kernelSize must be positive") { try self.call("MaxPool2d", [.int(0)]) }
    }

    func testBatchNormRunningStatistics() throws {
        let bn = try call("BatchNorm2d", [.int(2)])
        XCTAssertEqual(try tensorOf(try property(bn, "runningVar")).scalars, [1, 1])
        guard case .module(let m) = bn else { return XCTFail() }
        _ = try m(try Tensor.randn([4, 2, 3, 3]))
        XCTAssertNotEqual(try tensorOf(try property(bn, "runningMean")).scalars, [0, 0])
    }

    // MARK: Training

    func testSGDStepMovesParametersAgainstTheGradient() throws {
        let fc = try call("Linear", [.int(2), .int(1)])
        guard case .module(let layer) = fc else { return XCTFail() }
        let opt = try call("SGD", [try property(fc, "parameters")], ["lr": .double(0.1), "momentum": .double(0.5)])
        if case .native(let o) = opt { XCTAssertTrue(o.displayDescription.contains("momentum: 0.5")) }
        let before = layer.parameters[0].value.scalars
        let x = try call("ones", [.int(1), .int(2)])
        let loss = try call("mseLoss", [.tensor(try layer(try tensorOf(x))), try call("zeros", [.int(1), .int(1)])])
        try member(opt, "zeroGrad")
        try member(loss, "backward")
        let grad = try XCTUnwrap(layer.parameters[0].grad).scalars
        try member(opt, "step")
        let after = layer.parameters[0].value.scalars
        for i in 0..<2 { XCTAssertEqual(after[i], before[i] - 0.1 * grad[i], accuracy: 1e-6) }
        XCTAssertTrue(Lib.equal(try property(opt, "lr"), .double(0.1)))
        assertThrows("SGD: expected parameters (net.parameters), got a Tensor") { try self.call("SGD", [x], ["lr": .double(0.1)]) }
        assertThrows("SGD: missing argument 'lr'") { try self.call("SGD", [fc]) }
    }

    func testNoGradRunsTheClosureWithoutRecording() throws {
        let result = try call("noGrad", [fn { _ in .int(7) }])
        XCTAssertTrue(Lib.equal(result, .int(7)))
        XCTAssertEqual(context.gradEnabledDuringCalls, [false])
        XCTAssertTrue(GradMode.isEnabled)
    }

    func testCrossEntropyFromLogits() throws {
        let logits = try call("zeros", [.int(2), .int(4)])
        let targets = try call("tensor", [ints([1, 3])])
        let loss = try member(try call("crossEntropy", [logits, targets]), "item")
        XCTAssertEqual(Lib.double(loss)!, log(4), accuracy: 1e-6)
        let total = try member(try call("crossEntropy", [logits, targets], ["reduction": .implicitMember("sum")]), "item")
        XCTAssertEqual(Lib.double(total)!, 2 * log(4), accuracy: 1e-5)
    }

    // MARK: Data

    func testDataLoaderYieldsBatchesAndReportsProgress() throws {
        let inputs = try call("arange", [.double(10)])
        let data = try call("TensorDataset", [try member(inputs, "reshape", [.int(5), .int(2)]), try call("tensor", [ints([0, 1, 0, 1, 1])])])
        XCTAssertTrue(Lib.equal(try property(data, "count"), .int(5)))
        let sample = try member(data, "subscript", [.int(1)])
        guard case .tuple(let pair, _) = sample else { return XCTFail() }
        XCTAssertEqual(try tensorOf(pair[0]).scalars, [2, 3])
        XCTAssertTrue(Lib.equal(pair[1], .int(1)))
        XCTAssertTrue(Lib.equal(try property(try member(data, "prefix", [.int(3)]), "count"), .int(3)))

        let loader = try call("DataLoader", [data], ["batchSize": .int(2)])
        XCTAssertTrue(Lib.equal(try property(loader, "count"), .int(3)))
        guard case .native(let object as IterableNativeObject) = loader else { return XCTFail() }
        let next = try object.makeIterator(context: context)
        var shapes: [[Int]] = []
        while let batch = try next() {
            guard case .tuple(let items, _) = batch else { return XCTFail() }
            shapes.append(try tensorOf(items[0]).shape)
        }
        XCTAssertEqual(shapes, [[2, 2], [2, 2], [1, 2]])
        XCTAssertEqual(context.recorder.progress.map(\.1), [1, 2, 3])
        assertThrows("DataLoader: argument 'dataset' must be a dataset") { try self.call("DataLoader", [inputs]) }
        assertThrows("DataLoader: batchSize should be a positive integer") { try self.call("DataLoader", [data], ["batchSize": .int(0)]) }
    }

    func testFashionMNISTTestSplit() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"),
                          "dataset-fashion-mnist is not installed")
        let data = try call("FashionMNIST", [.implicitMember("test")])
        XCTAssertTrue(Lib.equal(try property(data, "count"), .int(10_000)))
        guard case .tuple(let sample, _) = try member(data, "subscript", [.int(0)]) else { return XCTFail() }
        XCTAssertEqual(try tensorOf(sample[0]).shape, [1, 28, 28])
        XCTAssertTrue(Lib.equal(sample[1], .int(9)))
        let normalized = try member(data, "normalized", [], ["mean": .double(0.2860), "std": .double(0.3530)])
        guard case .tuple(let n, _) = try member(normalized, "subscript", [.int(0)]) else { return XCTFail() }
        XCTAssertEqual(try tensorOf(n[0]).scalars[0], (0 - 0.2860) / 0.3530, accuracy: 1e-5)
        assertThrows("FashionMNIST: the split must be .train or .test, got .validation") {
            try self.call("FashionMNIST", [.implicitMember("validation")])
        }
    }

    // MARK: Rich outputs

    func testSummaryDisplaysTheShapeTable() throws {
        let net = try call("Sequential", [try call("Conv2d", [.int(1), .int(6)], ["kernelSize": .int(5), "padding": .int(2)]),
                                          try call("Sigmoid"), try call("AvgPool2d", [.int(2)], ["stride": .int(2)]),
                                          try call("Flatten"), try call("Linear", [.int(6 * 14 * 14), .int(10)])])
        XCTAssertTrue(Lib.equal(try call("summary", [net], ["input": ints([1, 1, 28, 28])]), .void))
        guard case .table(let table) = try XCTUnwrap(context.recorder.outputs.last) else { return XCTFail("no table") }
        XCTAssertEqual(table.headers, ["Layer", "Output Shape", "Param #", "Mult-Adds"])
        XCTAssertEqual(table.footerStart, 6)
        XCTAssertEqual(table.rows[1][1], "[1, 6, 28, 28]")
        XCTAssertEqual(table.rows[5][1], "[1, 10]")
        XCTAssertEqual(table.rows[6], ["Total params", "", "11,926", ""])
        assertThrows("summary: argument 'input' must be an input shape") { try self.call("summary", [net], ["input": .string("x")]) }
    }

    func testShowPlotAndTable() throws {
        let maps = try call("rand", [.int(1), .int(3), .int(4), .int(5)])
        try call("show", [maps], ["title": .string("feature maps")])
        guard case .image(let image) = try XCTUnwrap(context.recorder.outputs.last) else { return XCTFail() }
        XCTAssertEqual(image.pixels.shape, [3, 4, 5])
        XCTAssertEqual(image.title, "feature maps")
        assertThrows("show: expected an image [H, W]") { try self.call("show", [try self.call("zeros", [.int(5)])]) }

        var series = OrderedDictionary()
        series[.string("simple")] = .array([.double(0.5), .double(0.7)])
        series[.string("residual")] = .array([.double(0.6), .double(0.8)])
        try call("plot", [.dictionary(series)], ["title": .string("accuracy"), "xLabel": .string("epoch")])
        guard case .plot(let plot) = try XCTUnwrap(context.recorder.outputs.last) else { return XCTFail() }
        XCTAssertEqual(plot.series.map(\.name), ["simple", "residual"])
        XCTAssertEqual(plot.series[0].x, [1, 2])
        XCTAssertEqual(plot.xLabel, "epoch")

        try call("table", [.array([.array([.string("LeNet"), .int(48120)])])], ["headers": .array([.string("model"), .string("params")])])
        guard case .table(let table) = try XCTUnwrap(context.recorder.outputs.last) else { return XCTFail() }
        XCTAssertEqual(table.rows, [["LeNet", "48120"]])
        assertThrows("table: row 0 has 1 cell, but there are 2 headers") {
            try self.call("table", [.array([.array([.string("x")])])], ["headers": .array([.string("a"), .string("b")])])
        }
    }
}
