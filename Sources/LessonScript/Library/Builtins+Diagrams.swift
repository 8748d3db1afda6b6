import Foundation
import TensorEngine

/// Small tensors drawn as grids of numbers, computed from the lesson's own tensors: the
/// window a kernel or a pooling layer covers, the padding (dashed), and the output entry it
/// produces, with the arithmetic written out. The runner draws it as SVG; its text form (the
/// checked output) is the title and the arithmetic.
public struct OutputDiagram: Equatable, Codable {
    /// A rectangle of cells: `row`, `column` of its top-left corner, in the drawn grid.
    public struct Region: Equatable, Codable {
        public var row: Int, column: Int, height: Int, width: Int
        public init(row: Int, column: Int, height: Int, width: Int) {
            self.row = row; self.column = column; self.height = height; self.width = width
        }
    }
    /// One tensor as a grid of formatted numbers; the outer `padding` rings are padding.
    public struct Grid: Equatable, Codable {
        public var label: String
        public var values: [[String]]
        public var padding: Int
        /// The highlighted cells: the window, the kernel, or the result.
        public var highlight: Region?
        /// Whether the highlight is the result (drawn in the output colour).
        public var isResult: Bool
        public init(label: String, values: [[String]], padding: Int = 0, highlight: Region? = nil, isResult: Bool = false) {
            self.label = label; self.values = values; self.padding = padding; self.highlight = highlight; self.isResult = isResult
        }
    }
    public enum Piece: Equatable, Codable {
        case grid(Grid)
        /// An operator between grids: ⋆, +, =, →.
        case symbol(String)
    }
    public var title: String
    public var pieces: [Piece]
    /// The arithmetic of the highlighted result: `0·0 + 1·1 + 3·2 + 4·3 = 19`.
    public var caption: String
    public init(title: String, pieces: [Piece], caption: String) {
        self.title = title; self.pieces = pieces; self.caption = caption
    }
}

extension BuiltinLibrary {
    /// `diagram(corr2d: X, K, at: (i, j), padding: p, stride: s)` for a [H, W] or [C, H, W]
    /// input and a matching kernel (channels are summed), and `diagram(maxPool: X, size: k,
    /// at: (i, j))` / `diagram(avgPool: …)`, each with an optional `title:`.
    static func registerDiagrams(_ library: BuiltinLibrary) {
        library.defineFunction("diagram") { arguments, context in
            let args = try ArgumentList(arguments, function: "diagram",
                                        labels: ["corr2d", "maxPool", "avgPool", "at", "padding", "stride", "size", "title"],
                                        maxPositional: 1)
            let at = try args.toSize2(try args.value("at"), "at")
            let diagram: OutputDiagram
            if let input = args["corr2d"] {
                let x = try Lib.diagramValues(try args.toTensor(input, "corr2d"), "input")
                let k = try Lib.diagramValues(try args.tensor(0, "kernel"), "kernel")
                diagram = try Lib.correlationDiagram(x, k, at: (at.h, at.w), padding: try args.int("padding", default: 0),
                                                     stride: try args.int("stride", default: 1))
            } else if let input = args["maxPool"] ?? args["avgPool"] {
                let x = try Lib.diagramValues(try args.toTensor(input, "input"), "input")
                let size = try args.int("size")
                diagram = try Lib.poolingDiagram(x, size: size, stride: try args.int("stride", default: size),
                                                 max: args.has("maxPool"), at: (at.h, at.w))
            } else {
                throw ScriptRuntimeError("diagram: say what to draw", suggestion: "diagram(corr2d: X, K, at: (0, 0)) or diagram(maxPool: X, size: 2, at: (0, 0))")
            }
            var shown = diagram
            if let title = try args.optionalString("title") { shown.title = title }
            context.host.display(.diagram(shown))
            return .void
        }
    }
}

extension Lib {
    /// A tensor's values as [channels][row][column]; [H, W] is one channel. Small tensors only.
    static func diagramValues(_ tensor: Tensor, _ what: String) throws -> [[[Float]]] {
        var t = tensor.detach()
        guard !t.isMeta else { throw ScriptRuntimeError("diagram: the \(what) is a shape-only tensor") }
        if t.dtype != .float32 { t = try converted(t, to: .float32) }
        let shape = t.shape
        guard shape.count == 2 || shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
            throw ScriptRuntimeError("diagram: the \(what) must be [H, W] or [C, H, W], got \(shapeDescription(shape))")
        }
        let (c, h, w) = shape.count == 2 ? (1, shape[0], shape[1]) : (shape[0], shape[1], shape[2])
        guard c <= 4, h <= 16, w <= 16 else {
            throw ScriptRuntimeError("diagram: the \(what) \(shapeDescription(shape)) is too large to draw as numbers (at most 4 channels of 16×16)")
        }
        let s = t.scalars
        return (0..<c).map { ch in (0..<h).map { y in (0..<w).map { x in s[(ch * h + y) * w + x] } } }
    }

    /// A number as a diagram shows it: `19`, `-1`, `0.25`.
    static func diagramNumber(_ v: Float) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e6 { return String(Int(v)) }
        var text = String(format: "%.2f", v)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func correlationDiagram(_ x: [[[Float]]], _ k: [[[Float]]], at: (Int, Int), padding p: Int, stride s: Int) throws -> OutputDiagram {
        guard x.count == k.count else {
            throw ScriptRuntimeError("diagram: the input has \(x.count) channel(s) but the kernel \(k.count)")
        }
        guard p >= 0, p <= 4, s >= 1 else { throw ScriptRuntimeError("diagram: padding must be 0…4 and stride at least 1") }
        let (h, w, kh, kw) = (x[0].count + 2 * p, x[0][0].count + 2 * p, k[0].count, k[0][0].count)
        guard kh <= h, kw <= w else { throw ScriptRuntimeError("diagram: the kernel \(kh)×\(kw) is larger than the padded input \(h)×\(w)") }
        let (oh, ow) = ((h - kh) / s + 1, (w - kw) / s + 1)
        func padded(_ c: Int, _ y: Int, _ x0: Int) -> Float {
            let (yy, xx) = (y - p, x0 - p)
            return yy >= 0 && yy < x[c].count && xx >= 0 && xx < x[c][0].count ? x[c][yy][xx] : 0
        }
        guard at.0 >= 0, at.0 < oh, at.1 >= 0, at.1 < ow else {
            throw ScriptRuntimeError("diagram: at: (\(at.0), \(at.1)) is outside the \(oh)×\(ow) output")
        }
        var output = [[Float]](repeating: [Float](repeating: 0, count: ow), count: oh)
        for i in 0..<oh { for j in 0..<ow {
            var sum: Float = 0
            for c in 0..<x.count { for a in 0..<kh { for b in 0..<kw { sum += padded(c, i * s + a, j * s + b) * k[c][a][b] } } }
            output[i][j] = sum
        } }
        var pieces: [OutputDiagram.Piece] = []
        var terms: [String] = []
        for c in 0..<x.count {
            if c > 0 { pieces.append(.symbol("+")) }
            let suffix = x.count > 1 ? ", channel \(c)" : ""
            let values = (0..<h).map { y in (0..<w).map { diagramNumber(padded(c, y, $0)) } }
            pieces.append(.grid(.init(label: "input" + suffix, values: values, padding: p,
                                      highlight: .init(row: at.0 * s, column: at.1 * s, height: kh, width: kw))))
            pieces.append(.symbol("⋆"))
            pieces.append(.grid(.init(label: "kernel" + suffix, values: k[c].map { $0.map(diagramNumber) },
                                      highlight: .init(row: 0, column: 0, height: kh, width: kw))))
            for a in 0..<kh { for b in 0..<kw {
                terms.append("\(diagramNumber(padded(c, at.0 * s + a, at.1 * s + b)))·\(diagramNumber(k[c][a][b]))")
            } }
        }
        pieces.append(.symbol("="))
        pieces.append(.grid(.init(label: "output", values: output.map { $0.map(diagramNumber) },
                                  highlight: .init(row: at.0, column: at.1, height: 1, width: 1), isResult: true)))
        var title = "corr2d at (\(at.0), \(at.1))"
        if p > 0 { title += ", padding \(p)" }
        if s > 1 { title += ", stride \(s)" }
        return OutputDiagram(title: title, pieces: pieces,
                             caption: terms.joined(separator: " + ") + " = " + diagramNumber(output[at.0][at.1]))
    }

    static func poolingDiagram(_ x: [[[Float]]], size k: Int, stride s: Int, max isMax: Bool, at: (Int, Int)) throws -> OutputDiagram {
        guard x.count == 1 else { throw ScriptRuntimeError("diagram: pooling draws one channel [H, W]") }
        let input = x[0]
        let (h, w) = (input.count, input[0].count)
        guard k >= 1, k <= min(h, w), s >= 1 else { throw ScriptRuntimeError("diagram: the window \(k)×\(k) does not fit the \(h)×\(w) input") }
        let (oh, ow) = ((h - k) / s + 1, (w - k) / s + 1)
        guard at.0 >= 0, at.0 < oh, at.1 >= 0, at.1 < ow else {
            throw ScriptRuntimeError("diagram: at: (\(at.0), \(at.1)) is outside the \(oh)×\(ow) output")
        }
        func window(_ i: Int, _ j: Int) -> [Float] {
            (0..<k).flatMap { a in (0..<k).map { b in input[i * s + a][j * s + b] } }
        }
        let output = (0..<oh).map { i in (0..<ow).map { j -> Float in
            let v = window(i, j)
            return isMax ? v.max()! : v.reduce(0, +) / Float(v.count)
        } }
        let name = isMax ? "max" : "mean"
        return OutputDiagram(
            title: "\(isMax ? "max" : "average") pooling \(k)×\(k)\(s != k ? ", stride \(s)" : "") at (\(at.0), \(at.1))",
            pieces: [.grid(.init(label: "input", values: input.map { $0.map(diagramNumber) },
                                 highlight: .init(row: at.0 * s, column: at.1 * s, height: k, width: k))),
                     .symbol("→"),
                     .grid(.init(label: "output", values: output.map { $0.map(diagramNumber) },
                                 highlight: .init(row: at.0, column: at.1, height: 1, width: 1), isResult: true))],
            caption: "\(name)(\(window(at.0, at.1).map(diagramNumber).joined(separator: ", "))) = \(diagramNumber(output[at.0][at.1]))")
    }
}
