import Foundation
import LessonScript

/// Draws an `OutputDiagram` as SVG: each tensor a grid of numbered cells, padding cells
/// dashed and grey, the window (or kernel) outlined in blue, the result cell in orange, the
/// operators between the grids and the arithmetic below. Drawn at its natural size (the page
/// scrolls it on a phone instead of shrinking the numbers). Every text is escaped.
public enum TensorDiagram {
    static let cell = 34.0
    static let gap = 44.0
    static let margin = 14.0
    static let labelHeight = 24.0
    static let captionHeight = 30.0

    public static func render(_ diagram: OutputDiagram) -> String {
        // Widths of the pieces, left to right.
        let widths = diagram.pieces.map { piece -> Double in
            switch piece {
            case .grid(let grid): return Double(grid.values.first?.count ?? 0) * cell
            case .symbol: return gap
            }
        }
        let tallest = diagram.pieces.map { piece -> Double in
            if case .grid(let grid) = piece { return Double(grid.values.count) * cell } else { return 0 }
        }.max() ?? 0
        let width = margin * 2 + widths.reduce(0, +)
        let captionWidth = Double(diagram.caption.count) * 8.4 + margin * 2
        let totalWidth = max(width, captionWidth)
        let height = margin + labelHeight + tallest + captionHeight + margin / 2
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lb-diagram\" width=\"\(fmt(totalWidth))\" height=\"\(fmt(height))\" viewBox=\"0 0 \(fmt(totalWidth)) \(fmt(height))\" role=\"img\" aria-label=\"\(HTMLEscaping.attribute(diagram.title + ": " + diagram.caption))\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\" rx=\"4\"/>"
        svg += "<g font-family=\"ui-monospace, 'DejaVu Sans Mono', Menlo, monospace\" font-size=\"14\" text-anchor=\"middle\" fill=\"#1d2126\">"
        var x = margin
        let top = margin + labelHeight
        for (piece, pieceWidth) in zip(diagram.pieces, widths) {
            switch piece {
            case .symbol(let symbol):
                // ⋆ is a small glyph in most fonts: drawn larger to read as the operator it is.
                let size = symbol == "⋆" ? 34 : 22
                svg += "<text x=\"\(fmt(x + gap / 2))\" y=\"\(fmt(top + tallest / 2 + Double(size) / 2.8))\" font-size=\"\(size)\" fill=\"#5f6872\">\(HTMLEscaping.escape(symbol))</text>"
            case .grid(let grid):
                let gridHeight = Double(grid.values.count) * cell
                let y0 = top + (tallest - gridHeight) / 2
                svg += "<text x=\"\(fmt(x + pieceWidth / 2))\" y=\"\(fmt(y0 - 8))\" font-size=\"12\" fill=\"#5f6872\" font-family=\"system-ui, sans-serif\">\(HTMLEscaping.escape(grid.label))</text>"
                svg += gridSVG(grid, x: x, y: y0)
            }
            x += pieceWidth
        }
        svg += "</g>"
        svg += "<text x=\"\(fmt(totalWidth / 2))\" y=\"\(fmt(height - margin / 2 - 8))\" text-anchor=\"middle\" font-size=\"14\" font-family=\"ui-monospace, 'DejaVu Sans Mono', Menlo, monospace\" fill=\"#1d2126\">\(HTMLEscaping.escape(diagram.caption))</text>"
        svg += "</svg>"
        return svg
    }

    private static func gridSVG(_ grid: OutputDiagram.Grid, x: Double, y: Double) -> String {
        var svg = ""
        let rows = grid.values.count, columns = grid.values.first?.count ?? 0
        for r in 0..<rows {
            for c in 0..<columns {
                let isPadding = r < grid.padding || c < grid.padding || r >= rows - grid.padding || c >= columns - grid.padding
                let cx = x + Double(c) * cell, cy = y + Double(r) * cell
                svg += "<rect x=\"\(fmt(cx))\" y=\"\(fmt(cy))\" width=\"\(fmt(cell))\" height=\"\(fmt(cell))\" "
                svg += isPadding ? "fill=\"#f4f4f2\" stroke=\"#8a939d\" stroke-dasharray=\"3 3\"/>" : "fill=\"#ffffff\" stroke=\"#9aa3ad\"/>"
                let text = c < grid.values[r].count ? grid.values[r][c] : ""
                let size = text.count > 4 ? " font-size=\"11\"" : ""
                svg += "<text x=\"\(fmt(cx + cell / 2))\" y=\"\(fmt(cy + cell / 2 + 5))\"\(size)\(isPadding ? " fill=\"#6b7480\"" : "")>\(HTMLEscaping.escape(text))</text>"
            }
        }
        if let h = grid.highlight {
            let (fill, stroke) = grid.isResult ? ("#e68a28", "#b35c00") : ("#5b8fd1", "#1f5fa8")
            svg += "<rect x=\"\(fmt(x + Double(h.column) * cell))\" y=\"\(fmt(y + Double(h.row) * cell))\" width=\"\(fmt(Double(h.width) * cell))\" height=\"\(fmt(Double(h.height) * cell))\" fill=\"\(fill)\" fill-opacity=\"0.22\" stroke=\"\(stroke)\" stroke-width=\"2.5\"/>"
        }
        return svg
    }

    private static func fmt(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}
