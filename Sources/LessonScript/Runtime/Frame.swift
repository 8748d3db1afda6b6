/// A variable captured by a closure: shared by reference between the frames that use it.
final class Box {
    var value: Value
    init(_ value: Value) { self.value = value }
    /// Fills box slots of a new frame until the variable's declaration runs.
    static let unset = Box(.void)
}

/// The storage of one function call (or of a cell's nested blocks): variables by slot.
final class Frame {
    var slots: ContiguousArray<Value>
    var boxes: ContiguousArray<Box>
    let captures: ContiguousArray<Box>
    /// Set by `return`; read by the caller when the body reports `.returnValue`.
    var returnValue: Value = .void

    init(slotCount: Int, boxCount: Int, captures: ContiguousArray<Box>) {
        slots = ContiguousArray(repeating: .void, count: slotCount)
        boxes = boxCount == 0 ? [] : ContiguousArray(repeating: Box.unset, count: boxCount)
        self.captures = captures
    }
}

/// How a statement finished.
enum Flow {
    case normal, breakLoop, continueLoop, returnValue
}

/// The lesson's global variables, shared by all cells (grows as cells declare names).
final class GlobalTable {
    var values: ContiguousArray<Value> = []
    /// Names declared so far, with their slots.
    var variables: [String: GlobalVariable] = [:]

    func declare(_ name: String, isConstant: Bool) -> GlobalVariable {
        if let existing = variables[name] {
            let fresh = GlobalVariable(name: name, index: existing.index, isConstant: isConstant)
            variables[name] = fresh
            return fresh
        }
        let variable = GlobalVariable(name: name, index: values.count, isConstant: isConstant)
        values.append(.void)
        variables[name] = variable
        return variable
    }
}

typealias Code = (Frame) throws -> Value
typealias StatementCode = (Frame) throws -> Flow
