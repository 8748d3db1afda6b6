import Foundation
import TensorEngine

/// A learning-rate schedule as a cell value: `let scheduler = StepLR(opt, stepSize: 2)`,
/// then `scheduler.step()` once per epoch and `scheduler.lr` for the current rate.
final class SchedulerObject: NativeObject {
    let schedule: LearningRateSchedule
    init(_ schedule: LearningRateSchedule) { self.schedule = schedule }
    var typeName: String { schedule.name }
    var displayDescription: String { "\(typeName)(epoch: \(schedule.epoch), lr: \(Lib.shortNumber(schedule.optimizer.learningRate.shortestDecimal)))" }
}

extension BuiltinLibrary {
    /// PyTorch's training helpers: loss modules (`CrossEntropyLoss()`, `MSELoss()`),
    /// schedulers (`StepLR`, `CosineAnnealingLR`), `clipGradNorm`, and the module members
    /// `modules()`, `namedModules()` and `to(device)`.
    static func registerTrainingUtilities(_ library: BuiltinLibrary) {
        for (typeName, function) in [("CrossEntropyLoss", "crossEntropy"), ("MSELoss", "mseLoss")] {
            // Looked up now (registerTraining ran first), so the closure does not hold the library.
            guard let loss = library.functions[function] else { preconditionFailure("\(function) is registered before \(typeName)") }
            library.defineFunction(typeName) { arguments, _ in
                let args = try ArgumentList(arguments, function: typeName, labels: ["reduction"], maxPositional: 0)
                guard let reduction = args["reduction"] else {
                    // The plain loss function itself, so that it prints, compares and is saved as one.
                    return .function(BuiltinFunctionValue(name: function, body: loss))
                }
                return .function(BuiltinFunctionValue(name: "\(typeName)(reduction:)") { arguments, context in
                    try loss(arguments + [Argument(label: "reduction", value: reduction)], context)
                })
            }
        }

        library.defineFunction("StepLR") { arguments, _ in
            let args = try ArgumentList(arguments, function: "StepLR", labels: ["stepSize", "gamma"], maxPositional: 1)
            let optimizer = try Lib.optimizer(try args.value(0, "optimizer"), "StepLR")
            return .native(SchedulerObject(try .step(optimizer, stepSize: try args.int("stepSize"), gamma: try args.double("gamma", default: 0.1))))
        }
        library.defineFunction("CosineAnnealingLR") { arguments, _ in
            let args = try ArgumentList(arguments, function: "CosineAnnealingLR", labels: ["tMax", "etaMin"], maxPositional: 1)
            let optimizer = try Lib.optimizer(try args.value(0, "optimizer"), "CosineAnnealingLR")
            return .native(SchedulerObject(try .cosineAnnealing(optimizer, tMax: try args.int("tMax"), etaMin: try args.double("etaMin", default: 0))))
        }
        for typeName in ["StepLR", "CosineAnnealingLR"] {
            library.defineMethod(.native, "step", typeName: typeName) { receiver, arguments, _ in
                guard case .native(let o as SchedulerObject) = receiver else { throw Lib.noMember("step", receiver) }
                _ = try ArgumentList(arguments, function: "step", maxPositional: 0)
                o.schedule.step()
                return .void
            }
            library.defineProperty(.native, "lr", typeName: typeName, get: { receiver in
                guard case .native(let o as SchedulerObject) = receiver else { throw Lib.noMember("lr", receiver) }
                return .double(o.schedule.optimizer.learningRate.shortestDecimal)
            })
            library.defineProperty(.native, "epoch", typeName: typeName, get: { receiver in
                guard case .native(let o as SchedulerObject) = receiver else { throw Lib.noMember("epoch", receiver) }
                return .int(o.schedule.epoch)
            })
        }

        library.defineFunction("clipGradNorm") { arguments, _ in
            let args = try ArgumentList(arguments, function: "clipGradNorm", labels: ["maxNorm"], maxPositional: 1)
            let parameters = try Lib.parameters(try args.value(0, "parameters"), "clipGradNorm")
            let norm = try TensorEngine.clipGradNorm(parameters, maxNorm: Float(try args.double("maxNorm")))
            return .tensor(Tensor(norm))
        }

        registerInitializers(library)

        library.defineMethod(.module, "apply") { receiver, arguments, context in
            guard case .module(let m) = receiver else { throw Lib.noMember("apply", receiver) }
            let body = try Lib.closureArgument(arguments, "apply")
            for module in m.descendantsChildrenFirst { _ = try context.call(body, [Argument(label: nil, value: .module(module))]) }
            return receiver
        }
        library.defineMethod(.module, "modules") { receiver, arguments, _ in
            guard case .module(let m) = receiver else { throw Lib.noMember("modules", receiver) }
            _ = try ArgumentList(arguments, function: "modules", maxPositional: 0)
            return .array(m.descendants.map { .module($0.module) })
        }
        library.defineMethod(.module, "namedModules") { receiver, arguments, _ in
            guard case .module(let m) = receiver else { throw Lib.noMember("namedModules", receiver) }
            _ = try ArgumentList(arguments, function: "namedModules", maxPositional: 0)
            return .array(m.descendants.map { .tuple([.string($0.name), .module($0.module)], labels: ["name", "module"]) })
        }
        // `net.to(device)`: the engine runs on the CPU only, so moving is a no-op that returns
        // the module, and a device other than the CPU is an error rather than a silent lie.
        library.defineMethod(.module, "to") { receiver, arguments, _ in
            let device = try Lib.single(arguments, "to")
            if case .string(let name) = device, name.lowercased() != "cpu" {
                throw ScriptRuntimeError("to: lessonbook's engine runs on the CPU only; there is no device '\(name)'",
                                         suggestion: "leave out .to(...), or pass \"cpu\"")
            }
            return receiver
        }
    }
}

extension BuiltinLibrary {
    /// `nn.init`'s initialisers as functions that return a fresh tensor of the given tensor's
    /// shape (`fc.weight = xavierUniform(fc.weight)`), drawn from the seeded generator.
    fileprivate static func registerInitializers(_ library: BuiltinLibrary) {
        func initializer(_ name: String, labels: [String], _ make: @escaping ([Int], ArgumentList) throws -> Tensor) {
            library.defineFunction(name) { arguments, _ in
                let args = try ArgumentList(arguments, function: name, labels: labels, maxPositional: 1)
                let like = try args.tensor(0, "tensor")
                return .tensor(try make(like.shape, args))
            }
        }
        initializer("xavierUniform", labels: ["gain"]) { try Initialization.xavierUniform($0, gain: Float(try $1.double("gain", default: 1))) }
        initializer("xavierNormal", labels: ["gain"]) { try Initialization.xavierNormal($0, gain: Float(try $1.double("gain", default: 1))) }
        initializer("kaimingNormal", labels: ["a", "mode"]) { shape, args in
            try Initialization.kaimingNormal(shape, a: Float(try args.double("a", default: 0)), fanOutMode: try Lib.fanOutMode(args))
        }
        initializer("kaimingUniform", labels: ["a", "mode"]) { shape, args in
            let a = Float(try args.double("a", default: 0))
            guard try !Lib.fanOutMode(args) else {
                throw ScriptRuntimeError("kaimingUniform: only mode: .fanIn is supported", suggestion: "use kaimingNormal(t, mode: .fanOut)")
            }
            return try Initialization.kaimingUniform(shape, a: a)
        }
        initializer("normal", labels: ["mean", "std"]) { shape, args in
            try Initialization.normal(shape, mean: Float(try args.double("mean", default: 0)), std: Float(try args.double("std", default: 1)))
        }
    }
}

extension Module {
    /// Every module below this one and then this one, children before their parent, as
    /// PyTorch's `apply` visits them; each once, without recursion.
    var descendantsChildrenFirst: [any Module] {
        var result: [any Module] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [(module: any Module, expanded: Bool)] = [(self, false)]
        while let (module, expanded) = stack.popLast() {
            if expanded { result.append(module); continue }
            guard seen.insert(ObjectIdentifier(module)).inserted else { continue }
            stack.append((module, true))
            for (_, child) in module.children.reversed() { stack.append((child, false)) }
        }
        return result
    }
}

extension Lib {
    static func fanOutMode(_ args: ArgumentList) throws -> Bool {
        guard let mode = args["mode"] else { return false }
        guard case .implicitMember(let name) = mode, name == "fanIn" || name == "fanOut" else {
            throw ScriptRuntimeError("\(args.function): mode must be .fanIn or .fanOut, got \(typeName(mode))")
        }
        return name == "fanOut"
    }

    /// The optimiser a scheduler drives.
    static func optimizer(_ value: Value, _ function: String) throws -> any Optimizer {
        guard case .native(let o as OptimizerObject) = value else {
            throw ScriptRuntimeError("\(function): expected an optimiser (SGD or Adam), got \(typeName(value))")
        }
        return o.optimizer
    }
}
