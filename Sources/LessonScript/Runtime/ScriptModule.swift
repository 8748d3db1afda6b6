import TensorEngine

/// An instance of a script class that conforms to `Module`: a layer written in a cell.
///
/// Its tensor-valued stored properties are its parameters (kept as `Parameter` objects, so
/// optimisers update them in place and gradients accumulate on them), its module-valued
/// properties (and arrays of modules) its children, both named by property name in
/// declaration order. A tensor property made with `Buffer(t)` or `registerBuffer` is a buffer
/// instead: state that is neither trained nor counted (a hand-written batch norm's running
/// mean). `forward` runs the class's `callAsFunction`.
final class ScriptModule: ScriptInstance, Module {
    weak var interpreter: Interpreter?
    private var parameterFields: [TensorEngine.Parameter?]
    var isTraining = true

    init(type: ScriptType, fields: [Value], interpreter: Interpreter) {
        self.interpreter = interpreter
        parameterFields = Array(repeating: nil, count: fields.count)
        super.init(type: type, fields: Array(repeating: .void, count: fields.count))
        for (i, value) in fields.enumerated() { store(i, value) }
    }

    /// Fields that hold buffers (`Buffer(t)`, `registerBuffer`): tensors kept as plain values.
    private(set) var bufferFields: Set<Int> = []

    /// Makes field `i` a buffer: from now on a tensor stored there is state, not a parameter.
    func markBuffer(_ i: Int) {
        guard bufferFields.insert(i).inserted else { return }
        if let p = parameterFields[i] {
            parameterFields[i] = nil
            fields[i] = .tensor(p.value.detach())
        }
    }

    private func store(_ i: Int, _ value: Value) {
        if case .native(let buffer as BufferValue) = value {
            markBuffer(i)
            fields[i] = .tensor(buffer.tensor)
            return
        }
        if bufferFields.contains(i) {
            fields[i] = value
            return
        }
        if case .tensor(let t) = value {
            if let p = parameterFields[i] { p.value = t } else { parameterFields[i] = TensorEngine.Parameter(t) }
            fields[i] = .void
        } else {
            parameterFields[i] = nil
            fields[i] = value
        }
    }

    override func field(_ i: Int) -> Value {
        if let p = parameterFields[i] { return .tensor(p.value) }
        return fields[i]
    }

    override func setField(_ i: Int, _ value: Value) throws { store(i, value) }

    func forward(_ input: Tensor) throws -> Tensor {
        guard let interpreter else { throw ScriptRuntimeError("the interpreter that defined '\(typeName)' is gone") }
        // `func forward(_ x:)` is PyTorch's name for the call; either works.
        guard let method = type.method("callAsFunction") ?? type.method("forward") else {
            throw ScriptRuntimeError("'\(typeName)' conforms to Module but has no 'callAsFunction(_ x: Tensor) -> Tensor'",
                                     suggestion: "add func callAsFunction(_ x: Tensor) -> Tensor { ... } (or func forward(_ x: Tensor) -> Tensor)")
        }
        let result = try interpreter.invoke(method.binding(.module(self)), [Argument(label: nil, value: .tensor(input))])
        guard case .tensor(let output) = result else {
            throw ScriptRuntimeError("'\(typeName).callAsFunction' must return a Tensor, not \(result.typeDescription)")
        }
        return output
    }

    var ownParameters: [(name: String, parameter: TensorEngine.Parameter)] {
        parameterFields.enumerated().compactMap { i, p in p.map { (fieldNames[i], $0) } }
    }

    var ownBuffers: [(name: String, tensor: Tensor)] {
        bufferFields.sorted().compactMap { i in
            if case .tensor(let t) = fields[i] { return (fieldNames[i], t) }
            return nil
        }
    }

    var children: [(name: String, module: any Module)] {
        var result: [(name: String, module: any Module)] = []
        for (i, value) in fields.enumerated() {
            switch value {
            case .module(let m): result.append((fieldNames[i], m))
            case .array(let elements):
                for (j, element) in elements.enumerated() {
                    if case .module(let m) = element { result.append(("\(fieldNames[i]).\(j)", m)) }
                }
            default: break
            }
        }
        return result
    }
}

/// `Buffer(t)`: marks a tensor stored on a module as a buffer rather than a parameter. The
/// module keeps the tensor itself; this wrapper only exists between the call and the store.
final class BufferValue: NativeObject {
    let tensor: Tensor
    init(_ tensor: Tensor) { self.tensor = tensor.detach() }
    var typeName: String { "Buffer" }
    var displayDescription: String { "Buffer(\(shapeDescription(tensor.shape)))" }
}
