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
    /// Buffers held directly by this module: state that is saved with it but not trained or
    /// counted as a parameter (batch norm's running statistics), in declaration order.
    var ownBuffers: [(name: String, tensor: Tensor)] { get }
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
    public var ownBuffers: [(name: String, tensor: Tensor)] { [] }
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
    /// A module reached twice (shared, or containing itself) contributes once, as in PyTorch.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var result: [(name: String, parameter: Parameter)] = []
        for (prefix, module) in descendants {
            result += module.ownParameters.map { (prefix.isEmpty ? $0.name : "\(prefix).\($0.name)", $0.parameter) }
        }
        return result
    }

    /// Buffers with dotted names (`features.1.runningMean`), as `named_buffers()` gives them.
    public var namedBuffers: [(name: String, tensor: Tensor)] {
        descendants.flatMap { prefix, module in
            module.ownBuffers.map { (prefix.isEmpty ? $0.name : "\(prefix).\($0.name)", $0.tensor) }
        }
    }

    /// This module and every module below it, each once, in depth-first declaration order,
    /// with its dotted name (`""` for this one). Iterative, so depth and cycles are harmless.
    public var descendants: [(name: String, module: any Module)] {
        var result: [(name: String, module: any Module)] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [(name: String, module: any Module)] = [("", self)]
        while let (name, module) = stack.popLast() {
            guard seen.insert(ObjectIdentifier(module)).inserted else { continue }
            result.append((name, module))
            for (childName, child) in module.children.reversed() {
                stack.append((name.isEmpty ? childName : "\(name).\(childName)", child))
            }
        }
        return result
    }

    /// The number of scalar parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The elements of the parameters that are trained (not frozen with `requiresGrad = false`).
    public var trainableParameterCount: Int { parameters.filter(\.requiresGrad).reduce(0) { $0 + $1.count } }

    /// Switches this module and all its descendants to training (`true`) or evaluation mode.
    public func train(_ mode: Bool = true) {
        for (_, module) in descendants { module.isTraining = mode }
    }

    /// Switches to evaluation mode, like `module.eval()`.
    public func eval() { train(false) }

    /// Sets every parameter's gradient to none.
    public func zeroGrad() { for p in parameters { p.grad = nil } }

    /// PyTorch's repr: `Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))`, and for containers
    /// one indented line per child: `(0): Conv2d(...)`.
    ///
    /// Built in one pass without recursion: a module that contains itself prints the inner
    /// occurrence as `Name(...)` with a note, and nesting deeper than
    /// `maximumDescriptionDepth` is elided, so printing stays bounded whatever the structure.
    public var moduleDescription: String {
        var lines: [String] = []
        var path = Set<ObjectIdentifier>()
        var steps: [DescriptionStep] = [.open(label: "", module: self, indent: "")]
        while let step = steps.popLast() {
            switch step {
            case .close(let indent, let id):
                path.remove(id)
                lines.append(indent + ")")
            case .open(let label, let module, let indent):
                let id = ObjectIdentifier(module)
                let head = indent + label + module.typeName + "("
                if path.contains(id) {
                    lines.append(head + "...)  # contains itself")
                    continue
                }
                let kids = module.children
                if kids.isEmpty {
                    lines.append(head + module.extraDescription + ")")
                    continue
                }
                let depth = indent.count / 2
                if depth >= maximumDescriptionDepth {
                    lines.append(head + "...)  # \(kids.count) child module\(kids.count == 1 ? "" : "s") deeper than \(maximumDescriptionDepth) levels not shown")
                    continue
                }
                lines.append(head + module.extraDescription)
                path.insert(id)
                steps.append(.close(indent: indent, id: id))
                for (name, child) in kids.reversed() {
                    steps.append(.open(label: "(\(name)): ", module: child, indent: indent + "  "))
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// One step of `moduleDescription`'s walk: print a module's head (and queue its children), or
/// its closing parenthesis.
private enum DescriptionStep {
    case open(label: String, module: any Module, indent: String)
    case close(indent: String, id: ObjectIdentifier)
}

/// How deep `moduleDescription` shows nested modules.
public let maximumDescriptionDepth = 64

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
