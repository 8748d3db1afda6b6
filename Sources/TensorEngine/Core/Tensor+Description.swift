import Foundation

// Printing, following PyTorch's default print options (torch/_tensor_str.py): precision 4,
// line width 80, summarisation above 1000 elements with 3 edge items per dimension.

/// Decides how every element of one tensor is written, from the values that will be shown.
struct TensorFormatter {
    static let precision = 4
    static let lineWidth = 80
    static let threshold = 1000
    static let edgeItems = 3

    let dtype: DType
    private(set) var intMode = true
    private(set) var sciMode = false
    private(set) var width = 1

    init(values: [Float], dtype: DType) {
        self.dtype = dtype
        if dtype != .float32 {
            for v in values { width = Swift.max(width, TensorFormatter.plain(v, dtype: dtype).count) }
            return
        }
        let nonzeroFinite = values.filter { $0.isFinite && $0 != 0 }
        guard !nonzeroFinite.isEmpty else { return }
        let magnitudes = nonzeroFinite.map { Swift.abs(Double($0)) }
        let smallest = magnitudes.min() ?? 1, largest = magnitudes.max() ?? 1
        intMode = nonzeroFinite.allSatisfy { $0 == $0.rounded(.up) }
        if intMode {
            if largest / smallest > 1000 || largest > 1e8 {
                sciMode = true
                for v in nonzeroFinite { width = Swift.max(width, TensorFormatter.scientific(v).count) }
            } else {
                for v in nonzeroFinite { width = Swift.max(width, TensorFormatter.whole(v).count + 1) }
            }
        } else if largest / smallest > 1000 || largest > 1e8 || smallest < 1e-4 {
            sciMode = true
            for v in nonzeroFinite { width = Swift.max(width, TensorFormatter.scientific(v).count) }
        } else {
            for v in nonzeroFinite { width = Swift.max(width, TensorFormatter.fixed(v).count) }
        }
    }

    /// One element, right-aligned to the common width.
    func format(_ v: Float) -> String {
        let text: String
        if dtype != .float32 {
            text = TensorFormatter.plain(v, dtype: dtype)
        } else if sciMode {
            text = TensorFormatter.scientific(v)
        } else if intMode {
            text = TensorFormatter.whole(v) + (v.isFinite ? "." : "")
        } else {
            text = TensorFormatter.fixed(v)
        }
        return text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Python's spelling of non-finite floats.
    static func nonFinite(_ v: Float) -> String? {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        return nil
    }

    static func plain(_ v: Float, dtype: DType) -> String {
        if dtype == .bool { return v != 0 ? "True" : "False" }
        if let s = nonFinite(v) { return s }
        // Beyond Int64 a stored float cannot be converted; its whole-number spelling is the same.
        return Swift.abs(v) < 9e18 ? String(Int64(v)) : String(format: "%.0f", Double(v))
    }

    static func scientific(_ v: Float) -> String { nonFinite(v) ?? String(format: "%.\(precision)e", Double(v)) }
    static func fixed(_ v: Float) -> String { nonFinite(v) ?? String(format: "%.\(precision)f", Double(v)) }
    static func whole(_ v: Float) -> String { nonFinite(v) ?? String(format: "%.0f", Double(v)) }
}

extension Tensor: CustomStringConvertible {
    /// The tensor as PyTorch prints it: `tensor([[19., 25.],\n        [37., 43.]])`, with
    /// `requires_grad=True` or `grad_fn=<…>` after the values when autograd tracks it.
    public var description: String {
        let prefix = "tensor("
        let indent = prefix.count
        var suffixes: [String] = []
        let dtypeName = "dtype=torch.\(dtype.rawValue)"
        let body: String
        if isMeta {
            suffixes.append("device='meta'")
            suffixes.append("size=\(Tensor.pythonTuple(shape))")
            if dtype != .float32 { suffixes.append(dtypeName) }
            body = "..."
        } else if count == 0 {
            if rank != 1 { suffixes.append("size=\(Tensor.pythonTuple(shape))") }
            if dtype != .float32 { suffixes.append(dtypeName) }
            body = "[]"
        } else {
            body = valuesDescription(indent: indent)
        }
        if let node = gradNode {
            if node.isLeaf {
                suffixes.append("requires_grad=True")
            } else {
                suffixes.append("grad_fn=<\(Tensor.torchFunctionName(node.operation))>")
            }
        }
        return Tensor.addSuffixes(prefix + body, suffixes, indent: indent)
    }

    /// PyTorch's class name for a backward node: `AddBackward` prints as `AddBackward0`.
    static func torchFunctionName(_ operation: String) -> String {
        operation.hasSuffix("Backward") ? operation + "0" : operation
    }

    /// `(2, 3)`, `(5,)`, `()`: a shape as Python writes a tuple.
    static func pythonTuple(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// Appends `, suffix` to the printed tensor, wrapping to a new line when the last line
    /// would pass the line width (PyTorch's `_add_suffixes`, including its length count).
    static func addSuffixes(_ text: String, _ suffixes: [String], indent: Int) -> String {
        var result = text
        let chars = Array(text.unicodeScalars)
        let lastNewline = chars.lastIndex(of: "\n") ?? -1
        var lastLineLength = chars.count - lastNewline + 1
        for suffix in suffixes {
            if lastLineLength + suffix.count + 2 > TensorFormatter.lineWidth {
                result += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + suffix.count
            } else {
                result += ", " + suffix
                lastLineLength += suffix.count + 2
            }
        }
        return result + ")"
    }

    /// The bracketed values, formatted with one common width.
    func valuesDescription(indent: Int) -> String {
        let summarize = count > TensorFormatter.threshold
        let values = storage.pointer
        let strides = self.strides
        var shown: [Float] = []
        if summarize {
            Tensor.collectShown(values, shape: shape[...], strides: strides[...], offset: 0, into: &shown)
        } else {
            shown = scalars
        }
        let formatter = TensorFormatter(values: shown, dtype: dtype)
        return Tensor.render(values, shape: shape[...], strides: strides[...], offset: 0, indent: indent,
                             summarize: summarize, formatter: formatter)
    }

    /// The elements a summarised print shows: the first and last edge items of every dimension.
    static func collectShown(_ values: UnsafePointer<Float>, shape: ArraySlice<Int>, strides: ArraySlice<Int>,
                             offset: Int, into shown: inout [Float]) {
        guard let size = shape.first, let stride = strides.first else {
            shown.append(values[offset])
            return
        }
        let edge = TensorFormatter.edgeItems
        let positions = size > 2 * edge ? Array(0..<edge) + Array((size - edge)..<size) : Array(0..<size)
        for i in positions {
            collectShown(values, shape: shape.dropFirst(), strides: strides.dropFirst(), offset: offset + i * stride, into: &shown)
        }
    }

    static func render(_ values: UnsafePointer<Float>, shape: ArraySlice<Int>, strides: ArraySlice<Int>, offset: Int,
                       indent: Int, summarize: Bool, formatter: TensorFormatter) -> String {
        guard let size = shape.first, let stride = strides.first else {
            return formatter.format(values[offset])
        }
        let edge = TensorFormatter.edgeItems
        let elided = summarize && size > 2 * edge
        if shape.count == 1 {
            var items: [String] = []
            if elided {
                items = (0..<edge).map { formatter.format(values[offset + $0 * stride]) } + [" ..."]
                    + ((size - edge)..<size).map { formatter.format(values[offset + $0 * stride]) }
            } else {
                items = (0..<size).map { formatter.format(values[offset + $0 * stride]) }
            }
            let perLine = Swift.max(1, (TensorFormatter.lineWidth - indent) / (formatter.width + 2))
            var lines: [String] = []
            var start = 0
            while start < items.count {
                lines.append(items[start..<Swift.min(start + perLine, items.count)].joined(separator: ", "))
                start += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        func sub(_ i: Int) -> String {
            render(values, shape: shape.dropFirst(), strides: strides.dropFirst(), offset: offset + i * stride,
                   indent: indent + 1, summarize: summarize, formatter: formatter)
        }
        let parts = elided ? (0..<edge).map(sub) + ["..."] + ((size - edge)..<size).map(sub) : (0..<size).map(sub)
        let separator = "," + String(repeating: "\n", count: shape.count - 1) + String(repeating: " ", count: indent + 1)
        return "[" + parts.joined(separator: separator) + "]"
    }
}
