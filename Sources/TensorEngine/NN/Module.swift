/// A layer or a network of layers: parameters plus a call.
///
/// Modules are reference types so that a lesson can set `conv.weight` and see it used.
/// A conforming type provides `forward`, its own parameters and its children; everything
/// else (recursive `parameters`, `train()`/`eval()`, the call through summary hooks, the
/// PyTorch-style description) comes from the extension below. Modules defined in the cell
/// language conform through LessonScript's `ScriptModule`, so they are first-class too.
public protocol Module: AnyObject {
    /// The computation of the layer. Callers use `callAsFunction`, which adds the hooks.
    func forward(_ input: Tensor) throws -> Tensor
    /// Parameters held directly by this module (not by its children), in declaration order.
    var ownParameters: [(name: String, parameter: Parameter)] { get }
    /// Child modules in declaration order.
    var children: [(name: String, module: any Module)] { get }
    /// True while training (dropout active, batch norm uses batch statistics).
    var isTraining: Bool { get set }
    /// The class name shown in descriptions and summaries: `Conv2d`.
    var typeName: String { get }
    /// The arguments part of the description: `1, 6, kernel_size=(5, 5), stride=(1, 1)`.
    var extraDescription: String { get }
    /// Multiply–accumulate operations of one forward pass for these shapes (0 if negligible).
    func multiplyAccumulates(input: [Int], output: [Int]) -> Int
}

extension Module {
    public var ownParameters: [(name: String, parameter: Parameter)] { [] }
    public var children: [(name: String, module: any Module)] { [] }
    public var extraDescription: String { "" }
    public func multiplyAccumulates(input: [Int], output: [Int]) -> Int { 0 }

    /// Runs the module on `input`. Goes through the active summary recorder, if any.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard let recorder = ModuleCallRecorder.current else { return try forward(input) }
        return try recorder.record(self, input: input) { try forward(input) }
    }

    /// Every parameter of the module and its descendants, each once, in declaration order.
    public var parameters: [Parameter] {
        var seen = Set<ObjectIdentifier>()
        return namedParameters.compactMap { seen.insert(ObjectIdentifier($0.parameter)).inserted ? $0.parameter : nil }
    }

    /// Parameters with dotted names (`features.0.weight`), as `named_parameters()` gives them.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var result = ownParameters
        for (name, child) in children {
            result += child.namedParameters.map { ("\(name).\($0.name)", $0.parameter) }
        }
        return result
    }

    /// The number of scalar parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Switches this module and all its descendants to training (`true`) or evaluation mode.
    public func train(_ mode: Bool = true) {
        isTraining = mode
        for (_, child) in children { child.train(mode) }
    }

    /// Switches to evaluation mode, like `module.eval()`.
    public func eval() { train(false) }

    /// Sets every parameter's gradient to none.
    public func zeroGrad() { for p in parameters { p.grad = nil } }

    /// PyTorch's repr: `Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))`, and for containers
    /// one indented line per child: `(0): Conv2d(...)`.
    public var moduleDescription: String {
        let kids = children
        if kids.isEmpty { return "\(typeName)(\(extraDescription))" }
        var lines = ["\(typeName)(" + (extraDescription.isEmpty ? "" : extraDescription)]
        for (name, child) in kids {
            let body = child.moduleDescription.split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }
                .joined(separator: "\n")
            lines.append("  (\(name)): \(body)")
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}

/// Watches module calls while active; `summary` uses it to collect one row per layer.
public final class ModuleCallRecorder {
    nonisolated(unsafe) public static var current: ModuleCallRecorder?

    public struct Call {
        public let module: any Module
        /// Nesting depth: 0 for the module summary was called on.
        public let depth: Int
        public let inputShape: [Int]
        public let outputShape: [Int]
    }

    public private(set) var calls: [Call] = []
    private var depth = 0

    public init() {}

    func record(_ module: any Module, input: Tensor, _ body: () throws -> Tensor) throws -> Tensor {
        let index = calls.count
        calls.append(Call(module: module, depth: depth, inputShape: input.shape, outputShape: []))
        depth += 1
        defer { depth -= 1 }
        let output = try body()
        calls[index] = Call(module: module, depth: depth - 1, inputShape: input.shape, outputShape: output.shape)
        return output
    }

    /// Runs `body` with this recorder active.
    public func recording<R>(_ body: () throws -> R) rethrows -> R {
        let previous = ModuleCallRecorder.current
        ModuleCallRecorder.current = self
        defer { ModuleCallRecorder.current = previous }
        return try body()
    }
}
