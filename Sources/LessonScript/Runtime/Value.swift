import TensorEngine

/// A value of the cell language.
///
/// Int, Double, Bool, String, arrays, dictionaries, tuples, ranges, tensors and struct
/// instances have value semantics (Swift's own copy-on-write collections and `Tensor`);
/// functions, modules, class instances and engine objects are references.
public enum Value {
    /// The result of a statement or of a function without a return value.
    case void
    case `nil`
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case array([Value])
    case dictionary(OrderedDictionary)
    /// A tuple; `labels[i]` is nil for an unlabelled element.
    case tuple([Value], labels: [String?])
    /// `a..<b`, `a...b`, `a...`, `..<b`, `...` (lower/upper nil when open).
    case range(lower: Int?, upper: Int?, closed: Bool)
    case tensor(Tensor)
    /// A built-in layer or a script class that conforms to `Module`.
    case module(any Module)
    /// Anything callable: a script function or closure, a built-in, a bound method, a type.
    case function(Callable)
    /// An instance of a script class (reference semantics).
    case object(ScriptObject)
    /// An instance of a script struct (value semantics).
    case structInstance(StructInstance)
    /// An engine object without a literal form: optimiser, dataset, data loader, ...
    case native(any NativeObject)
    /// An implicit member expression (`.train`) whose type is only known to the callee.
    case implicitMember(String)
}

/// An engine object exposed to cells (optimisers, datasets, loaders). Built-ins reach its
/// members through `BuiltinLibrary`.
public protocol NativeObject: AnyObject {
    /// The type name shown in errors and descriptions: `SGD`.
    var typeName: String { get }
    /// How the object prints.
    var displayDescription: String { get }
}

/// A dictionary that keeps insertion order, so that printing it is deterministic.
public struct OrderedDictionary {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var index: [HashableValue: Int] = [:]

    public init() {}

    public var count: Int { keys.count }

    public subscript(key: Value) -> Value? {
        get { HashableValue(key).flatMap { index[$0] }.map { values[$0] } }
        set {
            guard let hashable = HashableValue(key) else { return }
            if let i = index[hashable] {
                if let newValue { values[i] = newValue } else {
                    keys.remove(at: i); values.remove(at: i)
                    index = Dictionary(uniqueKeysWithValues: keys.enumerated().compactMap { e in HashableValue(e.element).map { ($0, e.offset) } })
                }
            } else if let newValue {
                index[hashable] = keys.count
                keys.append(key); values.append(newValue)
            }
        }
    }
}

/// The subset of values that can be dictionary keys.
public enum HashableValue: Hashable {
    case int(Int), string(String), bool(Bool), double(Double)
    public init?(_ value: Value) {
        switch value {
        case .int(let v): self = .int(v)
        case .string(let v): self = .string(v)
        case .bool(let v): self = .bool(v)
        case .double(let v): self = .double(v)
        default: return nil
        }
    }
}

/// Something that can be called with labelled arguments.
open class Callable {
    /// The name shown in call chains and errors.
    public let name: String
    public init(name: String) { self.name = name }
}

/// A class instance created by a cell. Fields are stored by slot, in declaration order.
open class ScriptObject {
    public let typeName: String
    public var fieldNames: [String]
    public var fields: [Value]
    public init(typeName: String, fieldNames: [String], fields: [Value]) {
        self.typeName = typeName; self.fieldNames = fieldNames; self.fields = fields
    }

    // A linked list of a million objects would otherwise be freed by a million nested deinits.
    deinit { Value.releaseIteratively(&fields) }
}

extension Value {
    /// Releases `values` without recursion: objects this is the last reference to give up
    /// their fields to a work list, as do small arrays, tuples and struct instances (the
    /// shapes of deep chains), so freeing a million-long chain takes no stack.
    static func releaseIteratively(_ values: inout [Value]) {
        guard !values.isEmpty else { return }
        var pending = values
        values = []
        while !pending.isEmpty {
            var v = pending.removeLast()
            // Taken out of the value first: a `switch` would hold a second reference.
            if var o = takeObject(&v) {
                if isKnownUniquelyReferenced(&o), !o.fields.isEmpty {
                    pending.append(contentsOf: o.fields)
                    o.fields = []
                }
                continue
            }
            switch v {
            case .array(let items) where items.count <= 16:
                v = .void
                pending.append(contentsOf: items)
            case .tuple(let items, _):
                v = .void
                pending.append(contentsOf: items)
            case .structInstance(let s):
                v = .void
                pending.append(contentsOf: s.fields)
            default:
                break
            }
        }
    }

    private static func takeObject(_ v: inout Value) -> ScriptObject? {
        guard case .object(let o) = v else { return nil }
        v = .void
        return o
    }
}

/// A struct instance created by a cell (value semantics: copied on assignment).
public struct StructInstance {
    public let typeName: String
    public var fieldNames: [String]
    public var fields: [Value]
    public init(typeName: String, fieldNames: [String], fields: [Value]) {
        self.typeName = typeName; self.fieldNames = fieldNames; self.fields = fields
    }
}

/// A native object that a `for` loop can iterate: a data loader yields `(images, labels)`
/// tuples, a dataset yields samples. The iterator returns nil at the end.
public protocol IterableNativeObject: NativeObject {
    func makeIterator(context: CallContext) throws -> () throws -> Value?
}
