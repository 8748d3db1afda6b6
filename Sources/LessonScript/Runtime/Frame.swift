/// A variable captured by a closure: shared by reference between the frames that use it.
///
/// The value lives behind a pointer: accesses through it are not subject to Swift's dynamic
/// exclusivity checks, which would otherwise dominate the cost of a tight loop.
final class Box {
    let pointer: UnsafeMutablePointer<Value>
    init(_ value: Value) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: value)
    }
    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
    var value: Value {
        get { pointer.pointee }
        set { pointer.pointee = newValue }
    }
    /// Fills box slots of a new frame until the variable's declaration runs.
    static let unset = Box(.void)
}

/// The storage of one function call (or of a cell's nested blocks): variables by slot.
///
/// Slots and boxes are behind pointers (see `Box`) so that reading and writing a variable
/// costs a load and a store, without exclusivity bookkeeping.
final class Frame {
    let slots: UnsafeMutablePointer<Value>
    let boxes: UnsafeMutablePointer<Box>
    let captures: ContiguousArray<Box>
    private let slotCount: Int
    private let boxCount: Int
    /// Set by `return`; read by the caller when the body reports `.returnValue`.
    var returnValue: Value = .void

    init(slotCount: Int, boxCount: Int, captures: ContiguousArray<Box>) {
        self.slotCount = slotCount
        self.boxCount = boxCount
        slots = .allocate(capacity: max(1, slotCount))
        slots.initialize(repeating: .void, count: slotCount)
        boxes = .allocate(capacity: max(1, boxCount))
        boxes.initialize(repeating: Box.unset, count: boxCount)
        self.captures = captures
    }

    deinit {
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        boxes.deinitialize(count: boxCount)
        boxes.deallocate()
    }
}

/// How a statement finished.
enum Flow {
    case normal, breakLoop, continueLoop, returnValue
}

/// The lesson's global variables, shared by all cells (grows as cells declare names).
final class GlobalTable {
    /// One cell per global, at a stable address (compiled code keeps the pointer).
    private(set) var cells: [UnsafeMutablePointer<Value>] = []
    /// Names declared so far, with their slots.
    var variables: [String: GlobalVariable] = [:]

    deinit {
        var values: [Value] = []
        values.reserveCapacity(cells.count)
        for c in cells {
            values.append(c.move())
            c.deallocate()
        }
        // The lesson's state may hold deep chains; free them without recursion.
        Value.releaseIteratively(&values)
    }

    func cell(_ index: Int) -> UnsafeMutablePointer<Value> { cells[index] }

    /// All global values by index (a copy); setting writes them back into the cells, adding
    /// cells when the new array is longer (used by snapshots).
    var values: [Value] {
        get { cells.map(\.pointee) }
        set {
            for (i, v) in newValue.enumerated() {
                if i < cells.count {
                    cells[i].pointee = v
                } else {
                    let cell = UnsafeMutablePointer<Value>.allocate(capacity: 1)
                    cell.initialize(to: v)
                    cells.append(cell)
                }
            }
        }
    }

    func declare(_ name: String, isConstant: Bool) -> GlobalVariable {
        if let existing = variables[name] {
            let fresh = GlobalVariable(name: name, index: existing.index, isConstant: isConstant)
            variables[name] = fresh
            return fresh
        }
        let variable = GlobalVariable(name: name, index: cells.count, isConstant: isConstant)
        let cell = UnsafeMutablePointer<Value>.allocate(capacity: 1)
        cell.initialize(to: .void)
        cells.append(cell)
        variables[name] = variable
        return variable
    }
}

typealias Code = (Frame) throws -> Value
typealias StatementCode = (Frame) throws -> Flow
