/// A function, method, initialiser or closure after compilation: how to bind arguments
/// into a new frame and the body to run.
final class CompiledFunction {
    struct Parameter {
        var label: String?
        var name: String
        var slot: Int
        /// Box index when a closure captures the parameter, else -1.
        var boxIndex: Int
        var defaultValue: Code?
        var isVariadic: Bool
        var convertsToDouble: Bool
    }

    let name: String
    /// `corr2d(_:_:)`, `Point.move()`, `closure`.
    let signature: String
    let parameters: [Parameter]
    let isClosure: Bool
    let slotCount: Int
    let boxCount: Int
    /// Slot (or box) of `self` for methods and initialisers.
    let selfSlot: Int?
    let selfBox: Int
    let returnsDouble: Bool
    /// A struct method marked `mutating` (or an initialiser): `self` is written back.
    var isMutating = false
    var body: StatementCode = { _ in .normal }
    /// Where the function was declared, for messages.
    let source: SourceText
    let range: SourceRange

    init(name: String, signature: String, parameters: [Parameter], isClosure: Bool, slotCount: Int, boxCount: Int,
         selfSlot: Int?, selfBox: Int, returnsDouble: Bool, source: SourceText, range: SourceRange) {
        self.name = name; self.signature = signature; self.parameters = parameters; self.isClosure = isClosure
        self.slotCount = slotCount; self.boxCount = boxCount; self.selfSlot = selfSlot; self.selfBox = selfBox
        self.returnsDouble = returnsDouble; self.source = source; self.range = range
    }

    /// The labels the function expects, as Swift writes them in messages: `(_:kernel:)`.
    var labelList: String { "(" + parameters.map { ($0.label ?? "_") + ":" }.joined() + ")" }
}

/// A script function or closure value: compiled code plus the boxes it captured.
final class ScriptFunction: Callable {
    let code: CompiledFunction
    let captures: ContiguousArray<Box>
    /// The receiver of a method taken as a value (`let f = point.norm`).
    let boundSelf: Value?

    init(code: CompiledFunction, captures: ContiguousArray<Box>, boundSelf: Value? = nil) {
        self.code = code; self.captures = captures; self.boundSelf = boundSelf
        super.init(name: code.signature)
    }

    func binding(_ receiver: Value) -> ScriptFunction {
        ScriptFunction(code: code, captures: captures, boundSelf: receiver)
    }
}

/// A built-in function used as a value: `xs.map(sqrt)`, `let f = relu`.
final class BuiltinFunctionValue: Callable {
    let body: BuiltinLibrary.Function
    init(name: String, body: @escaping BuiltinLibrary.Function) {
        self.body = body
        super.init(name: name)
    }
}

/// A built-in method taken as a value with its receiver: `let add = xs.append` (rare).
final class BoundBuiltinMethod: Callable {
    let receiver: Value
    let body: BuiltinLibrary.Method
    init(name: String, receiver: Value, body: @escaping BuiltinLibrary.Method) {
        self.receiver = receiver; self.body = body
        super.init(name: name)
    }
}

/// A script struct or class used as a value: calling it constructs an instance.
final class TypeConstructor: Callable {
    let type: ScriptType
    init(type: ScriptType) {
        self.type = type
        super.init(name: type.name)
    }
}
