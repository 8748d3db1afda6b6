/// The syntax tree of a cell. Every node carries its source range. Nodes are classes so
/// that the resolver can annotate them (bindings, slots) in place before compilation.

/// An expression.
final class Expr {
    var kind: ExprKind
    let range: SourceRange
    init(_ kind: ExprKind, _ range: SourceRange) { self.kind = kind; self.range = range }
}

/// A piece of an interpolated string.
enum InterpolationPart {
    case text(String)
    case expr(Expr)
}

/// One argument of a call or subscript.
struct CallArgument {
    var label: String?
    var value: Expr
    var range: SourceRange
}

indirect enum ExprKind {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case interpolated([InterpolationPart])
    case `nil`
    /// A name; the resolver fills in its binding.
    case name(NameReference)
    /// A value known at resolution time: built-in constant, static member (`Double.pi`).
    case constant(Value)
    /// A built-in function referenced by name (called directly, or used as a value).
    case builtin(String, BuiltinLibrary.Function)
    case implicitMember(String)
    /// An operator used as a function value: `reduce(0, +)`.
    case operatorFunction(String)
    case array([Expr])
    case dictionary([(key: Expr, value: Expr)])
    case tuple([Expr], labels: [String?])
    case unary(String, Expr)
    case binary(String, Expr, Expr)
    case ternary(Expr, Expr, Expr)
    case range(Expr?, Expr?, closed: Bool)
    case call(Expr, [CallArgument])
    case member(Expr, String, nameRange: SourceRange)
    case tupleIndex(Expr, Int)
    case subscripted(Expr, [CallArgument])
    case closure(FunctionDecl)
    case forceUnwrap(Expr)
    /// `x as T`, `x as? T`, `x as! T`.
    case cast(Expr, TypeAnnotation, CastKind)
    /// `x is T`.
    case typeCheck(Expr, TypeAnnotation)
    /// `super.init(...)`: accepted; runs a script superclass's init, otherwise nothing.
    case superInit([CallArgument])
}

/// How a name was bound by the resolver.
enum NameBinding {
    case unresolved
    case local(LocalVariable)
    case global(GlobalVariable)
    /// An outer function's variable, captured by this closure: index into its captures.
    case capture(Int, LocalVariable)
}

/// A use of a name in an expression.
final class NameReference {
    let name: String
    let range: SourceRange
    var binding: NameBinding = .unresolved
    init(name: String, range: SourceRange) { self.name = name; self.range = range }
}

/// A variable of a function (or of a cell's nested blocks), stored in the frame's slots,
/// or in a box when a closure captures it.
final class LocalVariable {
    let name: String
    let isConstant: Bool
    let slot: Int
    /// Set when a nested function or closure captures the variable: it then lives in a box.
    var isCaptured = false
    /// Index in the frame's boxes when captured (assigned when the function is finished).
    var boxIndex = -1
    init(name: String, isConstant: Bool, slot: Int) { self.name = name; self.isConstant = isConstant; self.slot = slot }
}

/// A top-level variable of the lesson, stored in the interpreter's global table.
final class GlobalVariable {
    let name: String
    let index: Int
    var isConstant: Bool
    /// A function or type declaration (not reassignable).
    var isDeclaration = false
    init(name: String, index: Int, isConstant: Bool) { self.name = name; self.index = index; self.isConstant = isConstant }
}

/// A type annotation, kept as written plus what the evaluator converts for it.
struct TypeAnnotation {
    var text: String
    var range: SourceRange
    /// `Double`/`Float` (an Int converts), `[Double]`, or nothing to convert.
    var isFloatingScalar: Bool { text == "Double" || text == "Float" || text == "CGFloat" || text == "Float32" || text == "Float64" }
    var isFloatingArray: Bool { text == "[Double]" || text == "[Float]" }
    var isOptional: Bool { text.hasSuffix("?") || text.hasSuffix("!") }
    var isInt: Bool { text == "Int" }
}

/// A declared variable name inside a pattern.
final class PatternVariable {
    let name: String
    let range: SourceRange
    var target: VariableTarget = .none
    init(name: String, range: SourceRange) { self.name = name; self.range = range }
}

enum VariableTarget {
    case none
    case local(LocalVariable)
    case global(GlobalVariable)
}

indirect enum Pattern {
    case name(PatternVariable)
    case wildcard(SourceRange)
    case tuple([Pattern], SourceRange)

    /// The names the pattern declares.
    var names: [String] {
        switch self {
        case .name(let v): return [v.name]
        case .wildcard: return []
        case .tuple(let elements, _): return elements.flatMap(\.names)
        }
    }

    var range: SourceRange {
        switch self {
        case .name(let v): return v.range
        case .wildcard(let r), .tuple(_, let r): return r
        }
    }
}

/// A parameter of a function, initialiser or closure.
final class ParameterDecl {
    /// External label (nil for `_`).
    let label: String?
    let name: String
    let type: TypeAnnotation?
    let defaultValue: Expr?
    let isInout: Bool
    let isVariadic: Bool
    let range: SourceRange
    var variable: LocalVariable?
    init(label: String?, name: String, type: TypeAnnotation?, defaultValue: Expr?, isInout: Bool, isVariadic: Bool, range: SourceRange) {
        self.label = label; self.name = name; self.type = type; self.defaultValue = defaultValue
        self.isInout = isInout; self.isVariadic = isVariadic; self.range = range
    }
}

/// Where a closure's captured box comes from in the enclosing function.
enum CaptureSource {
    case local(LocalVariable)
    case capture(Int)
}

/// A function, method, initialiser or closure.
final class FunctionDecl {
    let name: String
    var parameters: [ParameterDecl]
    let returnType: TypeAnnotation?
    var body: [Stmt]
    let range: SourceRange
    let nameRange: SourceRange
    var isMutating = false
    var isInitializer = false
    var isClosure = false
    var isStatic = false
    /// For a closure using `$0`, `$1`: how many anonymous parameters.
    var anonymousParameterCount = 0
    /// The variables of `$0`, `$1`, ... in order.
    var anonymousVariables: [LocalVariable] = []
    // Filled by the resolver.
    var localCount = 0
    var boxCount = 0
    var captures: [CaptureSource] = []
    /// `self` inside a method or initialiser (slot 0).
    var selfVariable: LocalVariable?
    /// Where a named function's value is stored (global or local).
    var target: VariableTarget = .none

    init(name: String, parameters: [ParameterDecl], returnType: TypeAnnotation?, body: [Stmt], range: SourceRange, nameRange: SourceRange) {
        self.name = name; self.parameters = parameters; self.returnType = returnType; self.body = body
        self.range = range; self.nameRange = nameRange
    }

    /// Swift's way of naming a function in messages: `corr2d(_:_:)`.
    var signature: String {
        if isClosure { return "closure" }
        return "\(name)(" + parameters.map { ($0.label ?? "_") + ":" }.joined() + ")"
    }
}

/// A stored property of a struct or class.
struct PropertyDecl {
    var isConstant: Bool
    var name: String
    var type: TypeAnnotation?
    var defaultValue: Expr?
    var range: SourceRange
}

/// `struct` or `class`.
final class TypeDecl {
    let name: String
    let isClass: Bool
    let inherits: [String]
    var properties: [PropertyDecl] = []
    var computed: [FunctionDecl] = []
    var methods: [FunctionDecl] = []
    var initializers: [FunctionDecl] = []
    let range: SourceRange
    let nameRange: SourceRange
    var target: VariableTarget = .none
    /// A script superclass, found by the resolver.
    var superclass: TypeDecl?
    init(name: String, isClass: Bool, inherits: [String], range: SourceRange, nameRange: SourceRange) {
        self.name = name; self.isClass = isClass; self.inherits = inherits; self.range = range; self.nameRange = nameRange
    }

    var isModule: Bool {
        inherits.contains { $0 == "Module" || $0 == "nn.Module" || $0 == "Layer" } || (superclass?.isModule ?? false)
    }

    /// Stored properties including inherited ones, in declaration order (superclass first).
    var allProperties: [PropertyDecl] { (superclass?.allProperties ?? []) + properties }

    func findMethod(_ name: String) -> FunctionDecl? {
        methods.first { $0.name == name } ?? superclass?.findMethod(name)
    }

    func findComputed(_ name: String) -> FunctionDecl? {
        computed.first { $0.name == name } ?? superclass?.findComputed(name)
    }

    /// Every member name, for implicit `self` and suggestions.
    var memberNames: Set<String> {
        // A layer's `isTraining` is a member too, so a method may write it without `self.`.
        Set(allProperties.map(\.name) + methods.map(\.name) + computed.map(\.name) + (isModule ? ["isTraining"] : []))
            .union(superclass?.memberNames ?? [])
    }
}

/// A condition of `if`, `guard` or `while`: a Bool expression or an optional binding.
enum Condition {
    case expression(Expr)
    case optionalBinding(Pattern, Expr, isConstant: Bool)
}

/// A statement.
final class Stmt {
    var kind: StmtKind
    let range: SourceRange
    init(_ kind: StmtKind, _ range: SourceRange) { self.kind = kind; self.range = range }
}

/// One `name: Type = value` of a `let`/`var` declaration.
struct VariableBinding {
    var pattern: Pattern
    var type: TypeAnnotation?
    var initializer: Expr?
}

indirect enum StmtKind {
    case expression(Expr)
    case variables(isConstant: Bool, [VariableBinding])
    /// `target op value` with op one of `=`, `+=`, `-=`, `*=`, `/=`, `%=`.
    case assignment(Expr, String, Expr, operatorRange: SourceRange)
    case function(FunctionDecl)
    case type(TypeDecl)
    case ifStatement([Condition], [Stmt], elseBranch: [Stmt]?)
    case guardStatement([Condition], [Stmt])
    case whileLoop([Condition], [Stmt])
    case repeatWhile([Stmt], Expr)
    case forIn(Pattern, Expr, whereClause: Expr?, [Stmt])
    case block([Stmt])
    case breakStatement
    case continueStatement
    case returnStatement(Expr?)
    /// `import Foundation` and the like: accepted, nothing to do.
    case importDeclaration
}

/// Which `as` a cast is: `as` converts, `as?` gives nil when the value is not of the type,
/// `as!` stops with an error then.
enum CastKind {
    case plain, conditional, forced
}
