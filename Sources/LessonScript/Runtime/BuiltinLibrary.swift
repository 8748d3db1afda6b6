import TensorEngine

/// One argument of a call: its label (nil when unlabelled) and its value.
public struct Argument {
    public var label: String?
    public var value: Value
    public init(label: String?, value: Value) { self.label = label; self.value = value }
}

/// An error raised by a built-in. The evaluator adds the source location and call chain.
public struct ScriptRuntimeError: Error, CustomStringConvertible {
    public var message: String
    public var suggestion: String?
    public init(_ message: String, suggestion: String? = nil) { self.message = message; self.suggestion = suggestion }
    public var description: String { message }
}

/// The coarse type of a value, which selects built-in methods and properties.
public enum ValueKind: String, CaseIterable {
    case void, `nil`, int, double, bool, string, array, dictionary, tuple, range, tensor
    case module, function, object, structInstance, native, implicitMember
}

extension Value {
    public var kind: ValueKind {
        switch self {
        case .void: return .void
        case .nil: return .nil
        case .int: return .int
        case .double: return .double
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .dictionary: return .dictionary
        case .tuple: return .tuple
        case .range: return .range
        case .tensor: return .tensor
        case .module: return .module
        case .function: return .function
        case .object: return .object
        case .structInstance: return .structInstance
        case .native: return .native
        case .implicitMember: return .implicitMember
        }
    }
}

/// What a built-in can ask of the interpreter while it runs.
public protocol CallContext: AnyObject {
    /// Where printed text and rich outputs go.
    var host: ScriptHost { get }
    /// Calls a script function or closure (for `map`, `filter`, `noGrad { }`, script modules).
    func call(_ function: Value, _ arguments: [Argument]) throws -> Value
    /// How `print` shows a value.
    func describe(_ value: Value) -> String
}

/// The built-in functions, methods and properties visible to cells.
///
/// Built-ins are registered by name; methods and properties by the kind of their receiver
/// (for `.native` and `.module` receivers the registration name is the object's type name,
/// e.g. `"SGD"`, or `"*"` to match any). The resolver uses `globalNames` to report unknown
/// names and suggest near ones.
public final class BuiltinLibrary {
    public typealias Function = (_ arguments: [Argument], _ context: CallContext) throws -> Value
    public typealias Method = (_ receiver: inout Value, _ arguments: [Argument], _ context: CallContext) throws -> Value
    public typealias Getter = (_ receiver: Value) throws -> Value
    public typealias Setter = (_ receiver: inout Value, _ newValue: Value) throws -> Void

    public struct Property {
        public var get: Getter
        public var set: Setter?
    }

    public private(set) var functions: [String: Function] = [:]
    public private(set) var constants: [String: Value] = [:]
    private var methods: [String: Method] = [:]
    private var properties: [String: Property] = [:]
    /// Methods that change their receiver (`append`): the evaluator writes the receiver back.
    public private(set) var mutatingMethods: Set<String> = []

    public init() {}

    /// Every global name (functions and constants), for the resolver.
    public var globalNames: [String] { Array(functions.keys) + Array(constants.keys) }

    public func defineFunction(_ name: String, _ body: @escaping Function) { functions[name] = body }
    public func defineConstant(_ name: String, _ value: Value) { constants[name] = value }

    /// Registers `receiver.name(...)`. `typeName` narrows `.native`/`.module` receivers.
    public func defineMethod(_ kind: ValueKind, _ name: String, typeName: String = "*", mutating: Bool = false, _ body: @escaping Method) {
        methods[key(kind, typeName, name)] = body
        if mutating { mutatingMethods.insert(key(kind, typeName, name)) }
    }

    public func defineProperty(_ kind: ValueKind, _ name: String, typeName: String = "*", get: @escaping Getter, set: Setter? = nil) {
        properties[key(kind, typeName, name)] = Property(get: get, set: set)
    }

    public func method(for receiver: Value, named name: String) -> (body: Method, isMutating: Bool)? {
        for k in candidateKeys(receiver, name) {
            if let m = methods[k] { return (m, mutatingMethods.contains(k)) }
        }
        return nil
    }

    public func property(for receiver: Value, named name: String) -> Property? {
        for k in candidateKeys(receiver, name) { if let p = properties[k] { return p } }
        return nil
    }

    /// Member names known for a receiver, for "did you mean" suggestions.
    public func memberNames(for receiver: Value) -> [String] {
        let prefixes = candidateKeys(receiver, "").map { $0 }
        return (Array(methods.keys) + Array(properties.keys)).compactMap { k in
            prefixes.first(where: { k.hasPrefix($0) }).map { String(k.dropFirst($0.count)) }
        }
    }

    private func key(_ kind: ValueKind, _ typeName: String, _ name: String) -> String { "\(kind.rawValue)/\(typeName)/\(name)" }

    private func candidateKeys(_ receiver: Value, _ name: String) -> [String] {
        switch receiver {
        case .native(let object): return [key(.native, object.typeName, name), key(.native, "*", name)]
        case .module(let module): return [key(.module, module.typeName, name), key(.module, "*", name)]
        default: return [key(receiver.kind, "*", name)]
        }
    }
}
