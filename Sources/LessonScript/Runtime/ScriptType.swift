/// A struct or class declared by a cell, at run time.
final class ScriptType {
    let name: String
    let isClass: Bool
    /// A class conforming to `Module`: instances are `.module(ScriptModule)`.
    let isModule: Bool
    let fieldNames: [String]
    let fieldIndex: [String: Int]
    /// Default values (closures run at construction), nil where the property has none.
    let fieldDefaults: [ScriptFunction?]
    let fieldConstant: [Bool]
    let fieldConvertsToDouble: [Bool]
    var methods: [String: ScriptFunction] = [:]
    var computed: [String: ScriptFunction] = [:]
    var initializers: [ScriptFunction] = []
    let superType: ScriptType?

    init(name: String, isClass: Bool, isModule: Bool, fieldNames: [String], fieldDefaults: [ScriptFunction?],
         fieldConstant: [Bool], fieldConvertsToDouble: [Bool], superType: ScriptType?) {
        self.name = name; self.isClass = isClass; self.isModule = isModule; self.fieldNames = fieldNames
        self.fieldDefaults = fieldDefaults; self.fieldConstant = fieldConstant
        self.fieldConvertsToDouble = fieldConvertsToDouble; self.superType = superType
        var index: [String: Int] = [:]
        for (i, n) in fieldNames.enumerated() { index[n] = i }
        fieldIndex = index
    }

    func method(_ name: String) -> ScriptFunction? { methods[name] ?? superType?.method(name) }
    func computedProperty(_ name: String) -> ScriptFunction? { computed[name] ?? superType?.computedProperty(name) }

    var memberNames: [String] {
        fieldNames + Array(methods.keys) + Array(computed.keys) + (superType?.memberNames ?? [])
    }
}

/// An instance of a script class (reference semantics).
class ScriptInstance: ScriptObject {
    let type: ScriptType
    init(type: ScriptType, fields: [Value]) {
        self.type = type
        super.init(typeName: type.name, fieldNames: type.fieldNames, fields: fields)
    }

    /// A field's value (modules read parameters through their `Parameter`).
    func field(_ i: Int) -> Value { fields[i] }

    func setField(_ i: Int, _ value: Value) throws { fields[i] = value }
}
