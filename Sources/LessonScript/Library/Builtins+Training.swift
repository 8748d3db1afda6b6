import Foundation
import TensorEngine

/// An optimiser as a cell value: `let opt = SGD(net.parameters, lr: 0.01)`, then
/// `opt.zeroGrad()`, `opt.step()`, and `opt.lr` to read or change the learning rate.
public final class OptimizerObject: NativeObject {
    public let optimizer: any Optimizer
    public let typeName: String
    /// The hyper-parameters as PyTorch lists them in its repr, sorted by name.
    let settings: [(String, String)]

    init(_ optimizer: any Optimizer, typeName: String, settings: [(String, String)]) {
        self.optimizer = optimizer
        self.typeName = typeName
        self.settings = settings
    }

    /// PyTorch's repr: `SGD (` / `Parameter Group 0` / `    lr: 0.01` ... `)`.
    public var displayDescription: String {
        var lines = ["\(typeName) (", "Parameter Group 0"]
        var all = settings
        all.append(("lr", Lib.shortNumber(Double(optimizer.learningRate))))
        for (name, value) in all.sorted(by: { $0.0 < $1.0 }) { lines.append("    \(name): \(value)") }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}

extension BuiltinLibrary {
    /// Losses (`crossEntropy`, `mseLoss`), optimisers (`SGD`, `Adam`) and `noGrad { ... }`.
    static func registerTraining(_ library: BuiltinLibrary) {
        for name in ["crossEntropy", "mseLoss"] {
            library.defineFunction(name) { arguments, _ in
                var input: Tensor?, target: Tensor?
                // The common call `crossEntropy(logits, labels)` skips the argument parsing.
                if arguments.count == 2, arguments[0].label == nil, arguments[1].label == nil,
                   case .tensor(let a) = arguments[0].value, case .tensor(let b) = arguments[1].value {
                    input = a; target = b
                }
                var reduction = LossReduction.mean
                if input == nil {
                    let args = try ArgumentList(arguments, function: name, labels: ["reduction"], maxPositional: 2)
                    input = try args.tensor(0, "input")
                    target = try args.tensor(1, "target")
                    if let r = args["reduction"] {
                        guard case .implicitMember(let s) = r, let parsed = LossReduction(rawValue: s) else {
                            throw ScriptRuntimeError("\(name): reduction must be .mean, .sum or .none, got \(Lib.typeName(r))")
                        }
                        reduction = parsed
                    }
                }
                guard let input, let target else { throw ScriptRuntimeError("\(name): expected an input and a target") }
                return .tensor(name == "crossEntropy"
                    ? try TensorEngine.crossEntropy(input, target, reduction: reduction)
                    : try TensorEngine.mseLoss(input, target, reduction: reduction))
            }
        }

        library.defineFunction("SGD") { arguments, _ in
            let args = try ArgumentList(arguments, function: "SGD",
                                        labels: ["lr", "momentum", "dampening", "weightDecay", "nesterov"], maxPositional: 1)
            let parameters = try Lib.parameters(try args.value(0, "parameters"), "SGD")
            let lr = try args.double("lr"), momentum = try args.double("momentum", default: 0)
            let dampening = try args.double("dampening", default: 0), decay = try args.double("weightDecay", default: 0)
            let nesterov = try args.bool("nesterov", default: false)
            let sgd = try SGD(parameters: parameters, lr: Float(lr), momentum: Float(momentum), dampening: Float(dampening),
                              weightDecay: Float(decay), nesterov: nesterov)
            return .native(OptimizerObject(sgd, typeName: "SGD", settings: [
                ("momentum", Lib.shortNumber(momentum)), ("dampening", Lib.shortNumber(dampening)),
                ("weight_decay", Lib.shortNumber(decay)), ("nesterov", nesterov ? "True" : "False"),
            ]))
        }

        library.defineFunction("Adam") { arguments, _ in
            let args = try ArgumentList(arguments, function: "Adam", labels: ["lr", "betas", "eps", "weightDecay"], maxPositional: 1)
            let parameters = try Lib.parameters(try args.value(0, "parameters"), "Adam")
            let lr = try args.double("lr", default: 1e-3), eps = try args.double("eps", default: 1e-8)
            let decay = try args.double("weightDecay", default: 0)
            var betas = (0.9, 0.999)
            if let b = args["betas"] {
                guard case .tuple(let items, _) = b, items.count == 2, let b1 = Lib.double(items[0]), let b2 = Lib.double(items[1]) else {
                    throw args.wrongType("betas", expected: "a tuple of two numbers", got: b)
                }
                betas = (b1, b2)
            }
            let adam = try Adam(parameters: parameters, lr: Float(lr), betas: (Float(betas.0), Float(betas.1)), eps: Float(eps),
                                weightDecay: Float(decay))
            return .native(OptimizerObject(adam, typeName: "Adam", settings: [
                ("betas", "(\(Lib.shortNumber(betas.0)), \(Lib.shortNumber(betas.1)))"), ("eps", Lib.shortNumber(eps)),
                ("weight_decay", Lib.shortNumber(decay)),
            ]))
        }

        for typeName in ["SGD", "Adam"] {
            library.defineMethod(.native, "step", typeName: typeName) { receiver, arguments, _ in
                guard case .native(let o as OptimizerObject) = receiver else { throw Lib.noMember("step", receiver) }
                guard arguments.isEmpty else { throw ScriptRuntimeError("step: expected no arguments") }
                try o.optimizer.step()
                return .void
            }
            library.defineMethod(.native, "zeroGrad", typeName: typeName) { receiver, arguments, _ in
                guard case .native(let o as OptimizerObject) = receiver else { throw Lib.noMember("zeroGrad", receiver) }
                guard arguments.isEmpty else { throw ScriptRuntimeError("zeroGrad: expected no arguments") }
                o.optimizer.zeroGrad()
                return .void
            }
            library.defineProperty(.native, "lr", typeName: typeName, get: { receiver in
                guard case .native(let o as OptimizerObject) = receiver else { throw Lib.noMember("lr", receiver) }
                // The Float's shortest form, so that `opt.lr` shows the 0.01 the lesson set.
                return .double(o.optimizer.learningRate.shortestDecimal)
            }, set: { receiver, newValue in
                guard case .native(let o as OptimizerObject) = receiver else { throw Lib.noMember("lr", receiver) }
                guard let lr = Lib.double(newValue), lr >= 0 else {
                    throw ScriptRuntimeError("lr must be a non-negative number, got \(Lib.typeName(newValue))")
                }
                o.optimizer.learningRate = Float(lr)
            })
        }

        library.defineFunction("noGrad") { arguments, context in
            let body = try Lib.single(arguments, "noGrad")
            guard case .function = body else {
                throw ScriptRuntimeError("noGrad: expected a closure, as in noGrad { ... }, got \(Lib.typeName(body))")
            }
            return try TensorEngine.noGrad { try context.call(body, []) }
        }
    }
}

extension Lib {
    /// The parameters an optimiser is given: `net.parameters`, a module, or an array of those.
    static func parameters(_ value: Value, _ function: String) throws -> [Parameter] {
        switch value {
        case .native(let list as ParameterList): return list.parameters
        case .module(let m): return m.parameters
        case .array(let items):
            var result: [Parameter] = []
            var seen = Set<ObjectIdentifier>()
            for item in items {
                for p in try parameters(item, function) where seen.insert(ObjectIdentifier(p)).inserted { result.append(p) }
            }
            return result
        case .tensor:
            throw ScriptRuntimeError("\(function): expected parameters (net.parameters), got a Tensor",
                                     suggestion: "a tensor is a value: pass a module's parameters, which the optimiser updates in place")
        default:
            throw ScriptRuntimeError("\(function): expected parameters (net.parameters), got \(typeName(value))")
        }
    }

    /// `0.01`, `0`, `1e-08`: hyper-parameters the way Python prints them (they are stored
    /// as Float, whose shortest form is what the lesson wrote).
    static func shortNumber(_ value: Double) -> String {
        let f = Float(value)
        if f == f.rounded(), Swift.abs(f) < 1e15 { return String(Int(f)) }
        return f.description
    }
}
