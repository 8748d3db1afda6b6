/// The result of `summary(_:inputShape:)`: one row per module call, in call order, with totals.
public struct ModelSummary: CustomStringConvertible {
    public struct Row {
        /// The module's type name prefixed by tree lines for its depth: `│    └─Conv2d`.
        public var layer: String
        public var typeName: String
        /// 0 for the module `summary` was called on, 1 for its children, ….
        public var depth: Int
        public var inputShape: [Int]
        public var outputShape: [Int]
        /// Parameters of the module, its descendants included.
        public var parameterCount: Int
        /// Multiply–accumulates of this call, the calls nested in it included.
        public var multiplyAccumulates: Int
    }

    public static let headers = ["Layer", "Output Shape", "Param #", "Mult-Adds"]

    public var inputShape: [Int]
    public var rows: [Row]
    public var totalParameters: Int
    public var trainableParameters: Int
    public var totalMultiplyAccumulates: Int

    /// The rows as table cells under `headers`: `["├─Conv2d", "[1, 6, 28, 28]", "156", "122,304"]`
    /// (`--` where a module has no parameters or no multiply–accumulates).
    public var tableRows: [[String]] {
        rows.map { row in
            [row.layer, shapeDescription(row.outputShape),
             row.parameterCount == 0 ? "--" : groupedThousands(row.parameterCount),
             row.multiplyAccumulates == 0 ? "--" : groupedThousands(row.multiplyAccumulates)]
        }
    }

    /// The table as text, torchinfo-style, with the totals underneath.
    public var description: String {
        let table = [ModelSummary.headers] + tableRows
        var widths = [Int](repeating: 0, count: ModelSummary.headers.count)
        for line in table { for (i, cell) in line.enumerated() { widths[i] = Swift.max(widths[i], cell.count) } }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "   ")
        }
        let width = widths.reduce(0, +) + 3 * (widths.count - 1)
        let rule = String(repeating: "=", count: width)
        var lines = [rule, render(ModelSummary.headers), rule]
        lines += tableRows.map(render)
        lines.append(rule)
        lines.append("Input shape: \(shapeDescription(inputShape))")
        lines.append("Total params: \(groupedThousands(totalParameters))")
        lines.append("Trainable params: \(groupedThousands(trainableParameters))")
        lines.append("Non-trainable params: \(groupedThousands(totalParameters - trainableParameters))")
        lines.append("Total mult-adds: \(groupedThousands(totalMultiplyAccumulates))")
        lines.append(rule)
        return lines.joined(separator: "\n")
    }
}

/// `1234567` → `1,234,567`, as summaries print counts.
public func groupedThousands(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return n < 0 ? "-" + out : out
}

/// Runs `module` once on a shape-only (meta) input of `inputShape` and tabulates every module
/// call: output shape, parameter count and multiply–accumulates, nested calls indented under
/// their container. No arithmetic is done, so even VGG at 224×224 is instant. Modules written
/// in the cell language appear like built-in ones, since they call their children the same way.
/// With `maxDepth`, calls nested deeper are left out (their parameters and multiply–accumulates
/// stay counted in the rows above them): `maxDepth: 1` lists only the top-level blocks.
public func summary(_ module: any Module, inputShape: [Int], maxDepth: Int? = nil) throws -> ModelSummary {
    let input = try Tensor(metaShape: inputShape)
    let recorder = ModuleCallRecorder()
    _ = try noGrad { try recorder.recording { try module(input) } }
    let calls = recorder.calls
    let own = calls.map { $0.module.multiplyAccumulates(input: $0.inputShape, output: $0.outputShape) }
    // Layers saturate their own count at Int.max; a total past it is an error, not a trap.
    func checkedSum(_ counts: ArraySlice<Int>, of what: String) throws -> Int {
        var sum = 0
        for count in counts {
            let (next, overflow) = sum.addingReportingOverflow(count)
            guard !overflow, next < Int.max else {
                throw TensorError("summary: the multiply–accumulates of \(what) exceed \(Int.max) (input shape \(inputShape))",
                                  suggestion: "summarise a smaller input shape")
            }
            sum = next
        }
        return sum
    }

    // Whether each call is the last one at its depth before its parent's call ends: it decides
    // between "├─" and "└─", and whether the parent's line continues ("│") below it.
    let isLast: [Bool] = calls.indices.map { i in
        for j in (i + 1)..<calls.count where calls[j].depth <= calls[i].depth {
            return calls[j].depth < calls[i].depth
        }
        return true
    }
    var rows: [ModelSummary.Row] = []
    var openAncestors: [Bool] = []  // per depth: does the ancestor at that depth have later siblings
    for (i, call) in calls.enumerated() {
        let depth = call.depth
        if openAncestors.count > depth { openAncestors.removeLast(openAncestors.count - depth) }
        var prefix = ""
        if depth > 0 {
            for level in 1..<depth { prefix += level < openAncestors.count && openAncestors[level] ? "│    " : "     " }
            prefix += isLast[i] ? "└─" : "├─"
        }
        while openAncestors.count < depth { openAncestors.append(false) }
        openAncestors.append(!isLast[i])
        var j = i + 1
        while j < calls.count && calls[j].depth > depth { j += 1 }
        let macs = try checkedSum(own[i..<j], of: call.module.typeName)
        rows.append(ModelSummary.Row(layer: prefix + call.module.typeName, typeName: call.module.typeName, depth: depth,
                                     inputShape: call.inputShape, outputShape: call.outputShape,
                                     parameterCount: call.module.parameterCount, multiplyAccumulates: macs))
    }
    let total = module.parameterCount
    if let maxDepth { rows.removeAll { $0.depth > maxDepth } }
    return ModelSummary(inputShape: inputShape, rows: rows, totalParameters: total, trainableParameters: module.trainableParameterCount,
                        totalMultiplyAccumulates: try checkedSum(own[...], of: "the model"))
}
