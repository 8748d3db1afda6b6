/// Binds every name of a cell to where its value lives: a global slot, a frame slot, a
/// captured box, a member of `self`, or a built-in. Reports unknown names with the nearest
/// known one, assignments to constants, misplaced `break`/`return`, and the like.
final class Resolver {
    /// A function being resolved (the cell's top level is one too).
    final class Context {
        let parent: Context?
        let decl: FunctionDecl?
        let typeDecl: TypeDecl?
        /// Block scopes, innermost last. At the top level, scope 0 is the global scope.
        var scopes: [[String: LocalVariable]] = [[:]]
        var slotCount = 0
        var captured: [LocalVariable] = []
        var captures: [CaptureSource] = []
        var captureIndex: [ObjectIdentifier: Int] = [:]
        var loopDepth = 0

        init(parent: Context?, decl: FunctionDecl?, typeDecl: TypeDecl?) {
            self.parent = parent; self.decl = decl; self.typeDecl = typeDecl
        }

        var isTopLevel: Bool { parent == nil }
        /// Declarations go to the global table.
        var atGlobalScope: Bool { isTopLevel && scopes.count == 1 }
        var isMethod: Bool { typeDecl != nil && decl != nil && !(decl!.isClosure) }

        func newLocal(_ name: String, isConstant: Bool) -> LocalVariable {
            let v = LocalVariable(name: name, isConstant: isConstant, slot: slotCount)
            slotCount += 1
            return v
        }

        func lookupLocal(_ name: String) -> LocalVariable? {
            for scope in scopes.reversed() { if let v = scope[name] { return v } }
            return nil
        }

        func capture(_ source: CaptureSource, key: ObjectIdentifier) -> Int {
            if let i = captureIndex[key] { return i }
            captures.append(source)
            captureIndex[key] = captures.count - 1
            return captures.count - 1
        }
    }

    /// `$0` … `$255`: each index up to the largest used gets a slot.
    static let maximumAnonymousArguments = 256
    let library: BuiltinLibrary
    let globals: GlobalTable
    let source: SourceText
    private var context: Context
    /// Global names declared by this cell (a second declaration is an error).
    private var declaredInCell: Set<String> = []
    /// Top-level functions and types of this cell, visible before their declaration.
    private var hoisted: [String: GlobalVariable] = [:]
    /// Types by name, for superclasses and implicit members.
    private var typeDecls: [String: TypeDecl]
    /// Top-level variables of this cell, declared up front so functions can use them.
    private var pendingVariables: Set<String> = []
    /// Globals that existed before this cell.
    private var preexisting: Set<String> = []

    init(library: BuiltinLibrary, globals: GlobalTable, source: SourceText, knownTypes: [String: TypeDecl]) {
        self.library = library
        self.globals = globals
        self.source = source
        self.typeDecls = knownTypes
        context = Context(parent: nil, decl: nil, typeDecl: nil)
    }

    /// Resolves a cell. Returns the number of slots its frame needs (for nested blocks) and
    /// the types it declared. On error, the global table is left as it was.
    func resolveCell(_ statements: [Stmt]) throws -> (slotCount: Int, boxCount: Int, types: [String: TypeDecl]) {
        let savedVariables = globals.variables
        preexisting = Set(globals.variables.keys)
        do {
            hoist(statements)
            try resolveStatements(statements)
            finish(context)
            return (context.slotCount, context.captured.count, typeDecls)
        } catch {
            globals.variables = savedVariables
            throw error
        }
    }

    private func issue(_ kind: ScriptDiagnostic.Kind, _ message: String, _ range: SourceRange, suggestion: String? = nil) -> SyntaxIssue {
        SyntaxIssue(kind, message, at: range, suggestion: suggestion)
    }

    /// Top-level functions and types can be used before their declaration (recursion,
    /// helpers declared after their callers).
    private func hoist(_ statements: [Stmt]) {
        for s in statements {
            switch s.kind {
            case .function(let f):
                if hoisted[f.name] == nil { hoisted[f.name] = GlobalVariable(name: f.name, index: -1, isConstant: true) }
            case .type(let t):
                if hoisted[t.name] == nil { hoisted[t.name] = GlobalVariable(name: t.name, index: -1, isConstant: true) }
                typeDecls[t.name] = t
            default: break
            }
        }
        // Give hoisted names their real slots now, so uses before the declaration bind to them.
        for name in hoisted.keys.sorted() {
            let g = globals.declare(name, isConstant: true)
            g.isDeclaration = true
            hoisted[name] = g
        }
        // Top-level variables: functions of the cell may use them before their declaration.
        for s in statements {
            guard case .variables(let isConstant, let bindings) = s.kind else { continue }
            for b in bindings {
                for name in b.pattern.names where hoisted[name] == nil && !pendingVariables.contains(name) {
                    pendingVariables.insert(name)
                    _ = globals.declare(name, isConstant: isConstant)
                }
            }
        }
    }

    /// Assigns box indices to the captured variables of a finished function.
    private func finish(_ c: Context) {
        for (i, v) in c.captured.enumerated() { v.boxIndex = i }
    }

    // MARK: Declarations

    private func declare(_ v: PatternVariable, isConstant: Bool) throws {
        if v.name == "_" { return }
        if context.atGlobalScope {
            if declaredInCell.contains(v.name) {
                throw issue(.name, "invalid redeclaration of '\(v.name)'", v.range)
            }
            declaredInCell.insert(v.name)
            let g: GlobalVariable
            if let h = hoisted[v.name] {
                g = h
            } else if pendingVariables.contains(v.name), let p = globals.variables[v.name] {
                g = p
            } else {
                g = globals.declare(v.name, isConstant: isConstant)
            }
            g.isConstant = isConstant
            v.target = .global(g)
        } else {
            if context.scopes[context.scopes.count - 1][v.name] != nil {
                throw issue(.name, "invalid redeclaration of '\(v.name)'", v.range)
            }
            let local = context.newLocal(v.name, isConstant: isConstant)
            context.scopes[context.scopes.count - 1][v.name] = local
            v.target = .local(local)
        }
    }

    private func declarePattern(_ p: Pattern, isConstant: Bool) throws {
        switch p {
        case .name(let v): try declare(v, isConstant: isConstant)
        case .wildcard: break
        case .tuple(let elements, _): for e in elements { try declarePattern(e, isConstant: isConstant) }
        }
    }

    private func declareNamed(_ name: String, range: SourceRange) throws -> VariableTarget {
        let v = PatternVariable(name: name, range: range)
        try declare(v, isConstant: true)
        if case .global(let g) = v.target { g.isDeclaration = true }
        return v.target
    }

    // MARK: Statements

    private func withScope<T>(_ body: () throws -> T) rethrows -> T {
        context.scopes.append([:])
        defer { context.scopes.removeLast() }
        return try body()
    }

    private func resolveStatements(_ statements: [Stmt]) throws {
        // Local functions may call each other: declare them before the block's statements.
        if !context.atGlobalScope {
            for s in statements {
                if case .function(let f) = s.kind { f.target = try declareNamed(f.name, range: f.nameRange) }
            }
        }
        for s in statements { try resolveStatement(s) }
    }

    private func resolveBlock(_ statements: [Stmt]) throws {
        try withScope { try resolveStatements(statements) }
    }

    private func resolveStatement(_ s: Stmt) throws {
        switch s.kind {
        case .expression(let e):
            try resolveExpr(e)
        case .variables(let isConstant, let bindings):
            for b in bindings {
                if let e = b.initializer { try resolveExpr(e) }
                try declarePattern(b.pattern, isConstant: isConstant)
            }
        case .assignment(let target, let op, let value, _):
            try resolveExpr(value)
            if case .name(let ref) = target.kind, ref.name == "_" {
                if op != "=" { throw issue(.syntax, "'_' can only appear on the left of '='", target.range) }
                target.kind = .tuple([], labels: [])
                return
            }
            try resolveAssignmentTarget(target, op: op)
        case .function(let f):
            if context.atGlobalScope {
                if declaredInCell.contains(f.name) { throw issue(.name, "invalid redeclaration of '\(f.name)'", f.nameRange) }
                declaredInCell.insert(f.name)
                f.target = .global(hoisted[f.name]!)
            }
            try resolveFunction(f, typeDecl: nil)
        case .type(let t):
            if !context.atGlobalScope { throw issue(.unsupported, "not supported in lesson cells: types declared inside functions or blocks", t.nameRange) }
            if declaredInCell.contains(t.name) { throw issue(.name, "invalid redeclaration of '\(t.name)'", t.nameRange) }
            declaredInCell.insert(t.name)
            t.target = .global(hoisted[t.name]!)
            try resolveType(t)
        case .ifStatement(let conditions, let body, let elseBranch):
            try withScope {
                try resolveConditions(conditions)
                try resolveStatements(body)
            }
            if let elseBranch { try resolveBlock(elseBranch) }
        case .guardStatement(let conditions, let body):
            // Bindings of a guard are visible after it, so they go to the current scope.
            for c in conditions {
                if case .expression(let e) = c { try resolveExpr(e) }
            }
            try resolveBlock(body)
            if !exits(body) {
                throw issue(.syntax, "'guard' body must not fall through; end it with 'return', 'break' or 'continue'", s.range)
            }
            for c in conditions {
                if case .optionalBinding(let p, let e, let isConstant) = c {
                    try resolveExpr(e)
                    try declarePattern(p, isConstant: isConstant)
                }
            }
        case .whileLoop(let conditions, let body):
            try withScope {
                try resolveConditions(conditions)
                context.loopDepth += 1
                defer { context.loopDepth -= 1 }
                try resolveStatements(body)
            }
        case .repeatWhile(let body, let condition):
            context.loopDepth += 1
            try resolveBlock(body)
            context.loopDepth -= 1
            try resolveExpr(condition)
        case .forIn(let pattern, let sequence, let whereClause, let body):
            try resolveExpr(sequence)
            try withScope {
                try declarePattern(pattern, isConstant: true)
                if let w = whereClause { try resolveExpr(w) }
                context.loopDepth += 1
                defer { context.loopDepth -= 1 }
                try resolveStatements(body)
            }
        case .block(let body):
            try resolveBlock(body)
        case .breakStatement:
            if context.loopDepth == 0 { throw issue(.syntax, "'break' is only allowed inside a loop", s.range) }
        case .continueStatement:
            if context.loopDepth == 0 { throw issue(.syntax, "'continue' is only allowed inside a loop", s.range) }
        case .returnStatement(let value):
            if context.isTopLevel { throw issue(.syntax, "return invalid outside of a func", s.range) }
            if let value { try resolveExpr(value) }
        case .importDeclaration:
            break
        }
    }

    private func exits(_ body: [Stmt]) -> Bool {
        guard let last = body.last else { return false }
        switch last.kind {
        case .returnStatement, .breakStatement, .continueStatement: return true
        case .expression(let e):
            // The body is resolved first, so a built-in callee is already `.builtin`.
            guard case .call(let callee, _) = e.kind else { return false }
            switch callee.kind {
            case .name(let n): return ["fatalError", "preconditionFailure", "exit"].contains(n.name)
            case .builtin(let name, _): return ["fatalError", "preconditionFailure", "exit"].contains(name)
            default: return false
            }
        case .ifStatement(_, let body, let elseBranch):
            return exits(body) && (elseBranch.map(exits) ?? false)
        default: return false
        }
    }

    private func resolveConditions(_ conditions: [Condition]) throws {
        for c in conditions {
            switch c {
            case .expression(let e): try resolveExpr(e)
            case .optionalBinding(let p, let e, let isConstant):
                try resolveExpr(e)
                try declarePattern(p, isConstant: isConstant)
            }
        }
    }

    private func resolveAssignmentTarget(_ target: Expr, op: String) throws {
        switch target.kind {
        case .name(let ref):
            try resolveName(ref, in: target)
            if case .name(let r) = target.kind {
                try checkAssignable(r)
            } else {
                // Became `self.field` (implicit self).
                try resolveAssignmentTarget(target, op: op)
            }
        case .member(let base, _, _), .tupleIndex(let base, _):
            try resolveExpr(base)
        case .subscripted(let base, let args):
            try resolveExpr(base)
            for a in args { try resolveExpr(a.value) }
        case .tuple(let elements, _):
            for e in elements { try resolveAssignmentTarget(e, op: op) }
        default:
            try resolveExpr(target)
        }
    }

    private func checkAssignable(_ ref: NameReference) throws {
        switch ref.binding {
        case .local(let v), .capture(_, let v):
            if v.isConstant {
                if v.name == "self" {
                    throw issue(.name, "cannot assign to value: 'self' is immutable", ref.range,
                                suggestion: "mark the method 'mutating' to change a struct's properties")
                }
                throw issue(.name, "cannot assign to value: '\(ref.name)' is a 'let' constant", ref.range,
                            suggestion: "change 'let' to 'var' to make it mutable")
            }
        case .global(let g):
            if g.isDeclaration {
                throw issue(.name, "cannot assign to value: '\(ref.name)' is a function or type", ref.range)
            }
            if g.isConstant {
                throw issue(.name, "cannot assign to value: '\(ref.name)' is a 'let' constant", ref.range,
                            suggestion: "change 'let' to 'var' to make it mutable")
            }
        case .unresolved:
            throw issue(.name, "cannot assign to '\(ref.name)'", ref.range)
        }
    }

    // MARK: Functions and types

    private func resolveFunction(_ f: FunctionDecl, typeDecl: TypeDecl?) throws {
        let outer = context
        let inner = Context(parent: outer, decl: f, typeDecl: typeDecl)
        context = inner
        defer { context = outer }
        if typeDecl != nil {
            // `self` is slot 0; a struct's `self` is mutable only in mutating methods and init.
            let isConstant = typeDecl!.isClass || !(f.isMutating || f.isInitializer)
            let selfVariable = inner.newLocal("self", isConstant: isConstant)
            inner.scopes[0]["self"] = selfVariable
            f.selfVariable = selfVariable
        }
        // Default values see the enclosing scopes, not the other parameters.
        for p in f.parameters { if let d = p.defaultValue { try resolveExpr(d) } }
        var seen = Set<String>()
        for p in f.parameters {
            if p.name != "_" && !seen.insert(p.name).inserted {
                throw issue(.name, "invalid redeclaration of parameter '\(p.name)'", p.range)
            }
            let v = inner.newLocal(p.name, isConstant: true)
            if p.name != "_" { inner.scopes[0][p.name] = v }
            p.variable = v
        }
        inner.scopes.append([:])
        try resolveStatements(f.body)
        if f.isClosure && !f.parameters.isEmpty && !f.anonymousVariables.isEmpty {
            throw issue(.syntax, "anonymous closure arguments cannot be used inside a closure that has explicit arguments", f.range)
        }
        f.localCount = inner.slotCount
        f.boxCount = inner.captured.count
        f.captures = inner.captures
        finish(inner)
    }

    private func resolveType(_ t: TypeDecl) throws {
        for name in t.inherits {
            if let parent = typeDecls[name], parent !== t {
                guard t.isClass && parent.isClass else {
                    throw issue(.unsupported, "not supported in lesson cells: inheritance from '\(name)' (only classes inherit from classes)", t.nameRange)
                }
                t.superclass = parent
            } else if !["Module", "nn.Module", "Layer", "CustomStringConvertible", "Equatable", "Hashable"].contains(name) {
                throw issue(.unsupported, "not supported in lesson cells: conformance to '\(name)' (types may conform to Module)", t.range.to(t.nameRange))
            }
        }
        if t.isModule && !t.isClass {
            throw issue(.unsupported, "not supported in lesson cells: a struct conforming to Module; declare it as a class", t.nameRange)
        }
        var seen = Set<String>()
        for p in t.allProperties {
            if !seen.insert(p.name).inserted { throw issue(.name, "invalid redeclaration of '\(p.name)'", p.range) }
        }
        // Property defaults run as small closures at construction.
        for p in t.properties {
            if let d = p.defaultValue {
                let wrapper = FunctionDecl(name: "default", parameters: [], returnType: nil, body: [Stmt(.expression(d), d.range)],
                                           range: d.range, nameRange: d.range)
                wrapper.isClosure = true
                try resolveFunction(wrapper, typeDecl: nil)
                defaultWrappers[ObjectIdentifier(d)] = wrapper
            }
        }
        for f in t.methods + t.computed + t.initializers {
            try resolveFunction(f, typeDecl: t)
        }
    }

    /// The closures that compute property defaults, by default expression.
    private(set) var defaultWrappers: [ObjectIdentifier: FunctionDecl] = [:]

    // MARK: Expressions

    private func resolveExpr(_ e: Expr) throws {
        switch e.kind {
        case .int, .double, .bool, .string, .nil, .constant, .builtin, .implicitMember, .operatorFunction:
            break
        case .interpolated(let parts):
            for case .expr(let x) in parts { try resolveExpr(x) }
        case .name(let ref):
            try resolveName(ref, in: e)
        case .array(let elements):
            for x in elements { try resolveExpr(x) }
        case .dictionary(let pairs):
            for (k, v) in pairs { try resolveExpr(k); try resolveExpr(v) }
        case .tuple(let elements, _):
            for x in elements { try resolveExpr(x) }
        case .unary(_, let x), .forceUnwrap(let x), .cast(let x, _, _), .typeCheck(let x, _), .tupleIndex(let x, _):
            try resolveExpr(x)
        case .binary(_, let l, let r):
            try resolveExpr(l); try resolveExpr(r)
        case .ternary(let c, let a, let b):
            try resolveExpr(c); try resolveExpr(a); try resolveExpr(b)
        case .range(let l, let u, _):
            if let l { try resolveExpr(l) }
            if let u { try resolveExpr(u) }
        case .call(let callee, let args):
            try resolveExpr(callee)
            for a in args { try resolveExpr(a.value) }
        case .member(let base, let name, let nameRange):
            if case .name(let ref) = base.kind, !isVariable(ref.name) {
                let qualified = "\(ref.name).\(name)"
                if let v = library.constants[qualified] { e.kind = .constant(v); return }
                if let f = library.functions[qualified] { e.kind = .builtin(qualified, f); return }
                if library.functions[ref.name] != nil || ["Double", "Int", "Float", "String", "Tensor", "Bool"].contains(ref.name) {
                    let members = library.globalNames.filter { $0.hasPrefix(ref.name + ".") }.map { String($0.dropFirst(ref.name.count + 1)) }
                    throw issue(.name, "type '\(ref.name)' has no member '\(name)'" + didYouMean(name, members), nameRange)
                }
            }
            try resolveExpr(base)
        case .subscripted(let base, let args):
            try resolveExpr(base)
            for a in args { try resolveExpr(a.value) }
        case .closure(let f):
            try resolveFunction(f, typeDecl: nil)
        case .superInit(let args):
            guard let decl = context.decl, decl.isInitializer, context.typeDecl?.isClass == true else {
                throw issue(.syntax, "'super.init' is only allowed inside a class initializer", e.range)
            }
            for a in args { try resolveExpr(a.value) }
        }
    }

    /// True when the name is a variable, member or global (not a type-only name like `Double`).
    private func isVariable(_ name: String) -> Bool {
        var c: Context? = context
        while let ctx = c {
            if ctx.lookupLocal(name) != nil { return true }
            if ctx.isMethod, ctx.typeDecl!.memberNames.contains(name) { return true }
            c = ctx.parent
        }
        return globals.variables[name] != nil || hoisted[name] != nil
    }

    private enum Found {
        case local(LocalVariable)
        case capture(Int, LocalVariable)
        case selfMember
        case none
    }

    private func find(_ name: String, in c: Context) -> Found {
        if let v = c.lookupLocal(name) { return .local(v) }
        if c.isMethod, c.typeDecl!.memberNames.contains(name) { return .selfMember }
        guard let parent = c.parent else { return .none }
        switch find(name, in: parent) {
        case .local(let v):
            if !v.isCaptured {
                v.isCaptured = true
                parent.captured.append(v)
            }
            return .capture(c.capture(.local(v), key: ObjectIdentifier(v)), v)
        case .capture(let i, let v):
            return .capture(c.capture(.capture(i), key: ObjectIdentifier(v)), v)
        case .selfMember: return .selfMember
        case .none: return .none
        }
    }

    private func resolveName(_ ref: NameReference, in e: Expr) throws {
        let name = ref.name
        // `$0`, `$1`: anonymous closure parameters.
        if name.hasPrefix("$"), let n = Int(name.dropFirst()) {
            guard let f = context.decl, f.isClosure else {
                throw issue(.syntax, "anonymous closure argument '\(name)' not contained in a closure", ref.range)
            }
            // Each `$n` up to the largest gets a slot, so a huge index must not allocate.
            guard n < Resolver.maximumAnonymousArguments else {
                throw issue(.syntax, "anonymous closure argument '\(name)' is out of range: closures take at most \(Resolver.maximumAnonymousArguments) arguments", ref.range)
            }
            while f.anonymousVariables.count <= n {
                f.anonymousVariables.append(context.newLocal("$\(f.anonymousVariables.count)", isConstant: true))
            }
            ref.binding = .local(f.anonymousVariables[n])
            return
        }
        switch find(name, in: context) {
        case .local(let v): ref.binding = .local(v); return
        case .capture(let i, let v): ref.binding = .capture(i, v); return
        case .selfMember:
            let selfRef = NameReference(name: "self", range: ref.range)
            let selfExpr = Expr(.name(selfRef), ref.range)
            try resolveName(selfRef, in: selfExpr)
            e.kind = .member(selfExpr, name, nameRange: ref.range)
            return
        case .none: break
        }
        if let g = hoisted[name] ?? globals.variables[name] {
            if pendingVariables.contains(name) && !declaredInCell.contains(name) && !preexisting.contains(name) && context.isTopLevel {
                throw issue(.name, "use of '\(name)' before its declaration", ref.range)
            }
            ref.binding = .global(g)
            return
        }
        if let f = library.functions[name] { e.kind = .builtin(name, f); return }
        if let v = library.constants[name] { e.kind = .constant(v); return }
        if name == "self" {
            throw issue(.name, "'self' is only available inside methods and initializers", ref.range)
        }
        throw issue(.name, "unknown name '\(name)'" + didYouMean(name, visibleNames()), ref.range)
    }

    private func visibleNames() -> [String] {
        var names: [String] = []
        var c: Context? = context
        while let ctx = c {
            for scope in ctx.scopes { names += scope.keys }
            if ctx.isMethod { names += ctx.typeDecl!.memberNames }
            c = ctx.parent
        }
        names += globals.variables.keys
        names += hoisted.keys
        names += library.globalNames.filter { !$0.contains(".") }
        return names
    }
}

/// `; did you mean 'x'?` for the nearest candidate, or nothing.
func didYouMean(_ name: String, _ candidates: [String]) -> String {
    nearestName(name, candidates).map { "; did you mean '\($0)'?" } ?? ""
}

/// The candidate closest to `name` by edit distance (case differences count little), if
/// close enough to be a likely typo.
///
/// The work is bounded whatever the input: names longer than `Suggestions.maximumLength`
/// get no suggestion, candidates whose length alone rules them out are skipped, at most
/// `Suggestions.maximumCandidates` are compared, and the distance is computed in a band of
/// the allowed width only.
func nearestName(_ name: String, _ candidates: [String]) -> String? {
    let lower = Array(name.lowercased())
    guard !lower.isEmpty, lower.count <= Suggestions.maximumLength else { return nil }
    let limit = max(1, name.count / 3) * 2 + 1
    // The score is distance·2+1, so distances up to (limit-1)/2 can qualify.
    let maximumDistance = (limit - 1) / 2
    var plausible = Set(candidates).filter {
        $0 != name && !$0.hasPrefix("$") && abs($0.count - lower.count) <= maximumDistance
    }.sorted()
    if plausible.count > Suggestions.maximumCandidates { plausible.removeLast(plausible.count - Suggestions.maximumCandidates) }
    var best: (name: String, score: Int)?
    for c in plausible {
        let candidate = Array(c.lowercased())
        let score: Int
        if candidate == lower {
            score = 0
        } else {
            guard let d = Suggestions.editDistance(lower, candidate, atMost: maximumDistance) else { continue }
            score = d * 2 + 1
        }
        if best == nil || score < best!.score || (score == best!.score && c < best!.name) { best = (c, score) }
    }
    guard let best else { return nil }
    return best.score <= limit ? best.name : nil
}

/// Bounded edit distances for "did you mean" suggestions.
enum Suggestions {
    /// Longer names get no suggestion: they are not typos of a short name, and comparing
    /// them costs time a cell has not started yet to account for.
    static let maximumLength = 64
    /// At most this many names of a plausible length are compared (the first in sorted order).
    static let maximumCandidates = 1000

    /// The Levenshtein distance of `a` and `b` when it is at most `limit`, else nil; only
    /// the diagonal band of width 2·limit+1 is computed.
    static func editDistance(_ a: [Character], _ b: [Character], atMost limit: Int) -> Int? {
        guard abs(a.count - b.count) <= limit else { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let big = limit + 1
        var previous = [Int](repeating: big, count: b.count + 1)
        var current = previous
        for j in 0...min(b.count, limit) { previous[j] = j }
        for i in 1...a.count {
            let low = max(1, i - limit), high = min(b.count, i + limit)
            for j in 0...b.count { current[j] = big }
            if i <= limit { current[0] = i }
            var rowMinimum = current[0]
            if low <= high {
                for j in low...high {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    let value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost, big)
                    current[j] = value
                    rowMinimum = min(rowMinimum, value)
                }
            }
            if rowMinimum > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
