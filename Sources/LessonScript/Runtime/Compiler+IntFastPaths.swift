/// Specialised code for the statements that dominate counting loops (`s += i`, `i += 1`,
/// `for i in 0..<n`): they read and write variable storage directly instead of going through
/// a read closure, an operator closure and a store, which is where a tight loop spent its time.
extension Compiler {
    /// Where a plain variable lives: a slot of the running frame or a global's fixed cell.
    struct DirectPlace {
        var slot: Int
        var cell: UnsafeMutablePointer<Value>?

        @inline(__always)
        func pointer(_ f: Frame) -> UnsafeMutablePointer<Value> {
            if let cell { return cell }
            return f.slots + slot
        }
    }

    /// The storage of a name that can be read (and, when `writable`, assigned) without a box.
    func directPlace(_ e: Expr, writable: Bool) -> DirectPlace? {
        guard case .name(let ref) = e.kind else { return nil }
        switch ref.binding {
        case .local(let v) where !v.isCaptured && !(writable && v.isConstant):
            return DirectPlace(slot: v.slot, cell: nil)
        case .global(let g) where !(writable && (g.isConstant || g.isDeclaration)):
            return DirectPlace(slot: -1, cell: globals.cell(g.index))
        default:
            return nil
        }
    }

    /// The storage a `for` loop variable is bound to, when the pattern is one plain name.
    func directPlace(_ pattern: Pattern) -> DirectPlace? {
        guard case .name(let v) = pattern else { return nil }
        switch v.target {
        case .local(let local) where !local.isCaptured: return DirectPlace(slot: local.slot, cell: nil)
        case .global(let g): return DirectPlace(slot: -1, cell: globals.cell(g.index))
        default: return nil
        }
    }

    /// `x += y`, `x -= y`, `x *= y` where `x` is a plain variable and `y` a plain variable or an
    /// Int literal. Int operands are combined in place; anything else (Doubles, tensors,
    /// overflow, which must become a located error) goes to `general`, the operator's full code.
    func compileDirectCompoundAssignment(_ op: BinaryOperator, _ target: Expr, _ valueExpr: Expr,
                                         general: @escaping (Value, Value) throws -> Value) -> StatementCode? {
        let kind: Int
        switch op {
        case .add: kind = 0
        case .subtract: kind = 1
        case .multiply: kind = 2
        default: return nil
        }
        guard let place = directPlace(target, writable: true) else { return nil }
        @inline(__always)
        func combine(_ a: Int, _ b: Int) -> (Int, Bool) {
            switch kind {
            case 0: return a.addingReportingOverflow(b)
            case 1: return a.subtractingReportingOverflow(b)
            default: return a.multipliedReportingOverflow(by: b)
            }
        }
        if case .int(let constant) = valueExpr.kind {
            let operand = Value.int(constant)
            return { f in
                let p = place.pointer(f)
                if case .int(let a) = p.pointee {
                    let (r, overflow) = combine(a, constant)
                    if !overflow { p.pointee = .int(r); return .normal }
                }
                p.pointee = try general(p.pointee, operand)
                return .normal
            }
        }
        guard let source = directPlace(valueExpr, writable: false) else { return nil }
        return { f in
            let p = place.pointer(f)
            let q = source.pointer(f)
            if case .int(let a) = p.pointee, case .int(let b) = q.pointee {
                let (r, overflow) = combine(a, b)
                if !overflow { p.pointee = .int(r); return .normal }
            }
            p.pointee = try general(p.pointee, q.pointee)
            return .normal
        }
    }

    /// A counting loop whose variable is one plain name: the Int goes straight into the
    /// variable's storage each iteration, with no pattern binder and no allocation.
    func runDirectRangeLoop(_ place: DirectPlace, lower: Int, end: Int, test: ((Frame) throws -> Bool)?,
                                body: StatementCode, host: ScriptHost, frame f: Frame) throws -> Flow {
        let p = place.pointer(f)
        var i = lower
        if let test {
            while i < end {
                try host.checkCancellation()
                p.pointee = .int(i)
                i += 1
                if !(try test(f)) { continue }
                switch try body(f) {
                case .breakLoop: return .normal
                case .returnValue: return .returnValue
                default: continue
                }
            }
            return .normal
        }
        while i < end {
            try host.checkCancellation()
            p.pointee = .int(i)
            i += 1
            switch try body(f) {
            case .breakLoop: return .normal
            case .returnValue: return .returnValue
            default: continue
            }
        }
        return .normal
    }
}
