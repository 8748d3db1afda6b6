import Foundation
import LessonScript

/// Draws an `OutputPlot` as a standalone SVG line chart: axes with round-number ticks, axis
/// labels, a title, and a legend when there is more than one series. The SVG has a viewBox
/// (it scales to its container), uses only presentation attributes (so it looks the same as a
/// file and inline), carries class names the page's stylesheet can restyle (dark mode), and
/// defines no ids (several plots can be inlined in one page).
public enum SVGPlot {
    /// Width and height of the viewBox.
    public static let width = 640.0
    public static let height = 380.0
    /// Colour-blind-safe series colours (Okabe–Ito), cycled.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    /// The SVG document for `plot`.
    public static func render(_ plot: OutputPlot) -> String {
        let series = plot.series.map { s -> [(Double, Double)] in
            zip(s.x, s.y).map { ($0, $1) }
        }
        let finite = series.flatMap { $0 }.filter { $0.0.isFinite && $0.1.isFinite }
        let hasLegend = plot.series.count > 1

        // Plot area inside the viewBox.
        let left = 70.0, right = width - 20
        let top = plot.title.isEmpty ? 20.0 : 44.0
        var bottom = height - (plot.xLabel == nil ? 38 : 56)
        if hasLegend { bottom -= 24 * Double(legendRows(plot.series.map(\.name))) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lb-plot\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
        svg += "width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(esc(plot.title.isEmpty ? "plot" : plot.title))\" "
        svg += "font-family=\"system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif\" font-size=\"13\">\n"
        svg += "<title>\(esc(plot.title.isEmpty ? "plot" : plot.title))</title>\n"
        svg += "<rect class=\"lb-plot-bg\" x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
        if !plot.title.isEmpty {
            svg += "<text class=\"lb-plot-title\" x=\"\(n((left + right) / 2))\" y=\"26\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"600\" fill=\"#1f2328\">\(esc(plot.title))</text>\n"
        }

        guard !finite.isEmpty else {
            svg += "<rect class=\"lb-plot-frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\" fill=\"none\" stroke=\"#8c959f\"/>\n"
            svg += "<text class=\"lb-plot-text\" x=\"\(n((left + right) / 2))\" y=\"\(n((top + bottom) / 2))\" text-anchor=\"middle\" fill=\"#59636e\">no data</text>\n"
            return svg + "</svg>\n"
        }

        // Whole-number x values (epochs, steps) get whole-number ticks: no "epoch 1.5".
        let integralX = finite.allSatisfy { $0.0 == $0.0.rounded() && abs($0.0) < 1e15 }
        let xTicks = NiceScale(minimum: finite.map(\.0).min() ?? 0, maximum: finite.map(\.0).max() ?? 1, integral: integralX)
        let yTicks = NiceScale(minimum: finite.map(\.1).min() ?? 0, maximum: finite.map(\.1).max() ?? 1)
        func px(_ x: Double) -> Double { left + (x - xTicks.lower) / (xTicks.upper - xTicks.lower) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - yTicks.lower) / (yTicks.upper - yTicks.lower) * (bottom - top) }

        // Grid and ticks.
        svg += "<g class=\"lb-plot-grid\" stroke=\"#d8dee4\" stroke-width=\"1\">\n"
        for t in yTicks.ticks { svg += "<line x1=\"\(n(left))\" y1=\"\(n(py(t)))\" x2=\"\(n(right))\" y2=\"\(n(py(t)))\"/>\n" }
        for t in xTicks.ticks { svg += "<line x1=\"\(n(px(t)))\" y1=\"\(n(top))\" x2=\"\(n(px(t)))\" y2=\"\(n(bottom))\"/>\n" }
        svg += "</g>\n"
        svg += "<g class=\"lb-plot-axis\" stroke=\"#59636e\" stroke-width=\"1.2\" fill=\"none\">\n"
        svg += "<line x1=\"\(n(left))\" y1=\"\(n(bottom))\" x2=\"\(n(right))\" y2=\"\(n(bottom))\"/>\n"
        svg += "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(bottom))\"/>\n"
        for t in yTicks.ticks { svg += "<line x1=\"\(n(left - 5))\" y1=\"\(n(py(t)))\" x2=\"\(n(left))\" y2=\"\(n(py(t)))\"/>\n" }
        for t in xTicks.ticks { svg += "<line x1=\"\(n(px(t)))\" y1=\"\(n(bottom))\" x2=\"\(n(px(t)))\" y2=\"\(n(bottom + 5))\"/>\n" }
        svg += "</g>\n"
        svg += "<g class=\"lb-plot-text\" fill=\"#59636e\" font-size=\"12\">\n"
        for t in yTicks.ticks {
            svg += "<text x=\"\(n(left - 8))\" y=\"\(n(py(t) + 4))\" text-anchor=\"end\">\(esc(yTicks.label(t)))</text>\n"
        }
        for t in xTicks.ticks {
            svg += "<text x=\"\(n(px(t)))\" y=\"\(n(bottom + 19))\" text-anchor=\"middle\">\(esc(xTicks.label(t)))</text>\n"
        }
        svg += "</g>\n"
        if let xLabel = plot.xLabel, !xLabel.isEmpty {
            svg += "<text class=\"lb-plot-label\" x=\"\(n((left + right) / 2))\" y=\"\(n(bottom + 40))\" text-anchor=\"middle\" fill=\"#1f2328\">\(esc(xLabel))</text>\n"
        }
        if let yLabel = plot.yLabel, !yLabel.isEmpty {
            let cy = (top + bottom) / 2
            svg += "<text class=\"lb-plot-label\" x=\"18\" y=\"\(n(cy))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(n(cy)))\" fill=\"#1f2328\">\(esc(yLabel))</text>\n"
        }

        // Series: one path each, broken at non-finite points; dots when there are few points.
        for (i, points) in series.enumerated() {
            let color = palette[i % palette.count]
            var d = ""
            var penDown = false
            for (x, y) in points {
                guard x.isFinite && y.isFinite else { penDown = false; continue }
                d += (penDown ? "L" : "M") + n(px(x)) + " " + n(py(y))
                penDown = true
            }
            let name = plot.series[i].name
            svg += "<g class=\"lb-plot-series\"><title>\(esc(name.isEmpty ? "series \(i + 1)" : name))</title>\n"
            if !d.isEmpty {
                svg += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n"
            }
            let shown = points.filter { $0.0.isFinite && $0.1.isFinite }
            if shown.count <= 40 {
                for (x, y) in shown {
                    svg += "<circle cx=\"\(n(px(x)))\" cy=\"\(n(py(y)))\" r=\"\(shown.count == 1 ? 4 : 2.8)\" fill=\"\(color)\"/>\n"
                }
            }
            svg += "</g>\n"
        }

        if hasLegend {
            svg += legend(names: plot.series.map(\.name), left: left, right: right, top: height - 24 * Double(legendRows(plot.series.map(\.name))) - 6)
        }
        return svg + "</svg>\n"
    }

    // MARK: - Legend

    /// Entries are packed left to right and centred, wrapping onto more rows when the names
    /// are long; widths are estimated from the character count (no font metrics in SVG).
    private static func legendLayout(_ names: [String], width: Double) -> [[(name: String, width: Double)]] {
        var rows: [[(name: String, width: Double)]] = [[]]
        var used = 0.0
        for (i, raw) in names.enumerated() {
            var name = raw.isEmpty ? "series \(i + 1)" : raw
            if name.count > 40 { name = String(name.prefix(39)) + "…" }
            let w = 30 + Double(name.count) * 7 + 18
            if used + w > width, !(rows[rows.count - 1].isEmpty) {
                rows.append([]); used = 0
            }
            rows[rows.count - 1].append((name, w))
            used += w
        }
        return rows
    }

    private static func legendRows(_ names: [String]) -> Int { legendLayout(names, width: width - 90).count }

    private static func legend(names: [String], left: Double, right: Double, top: Double) -> String {
        var out = "<g class=\"lb-plot-legend\" font-size=\"12\">\n"
        var index = 0
        for (r, row) in legendLayout(names, width: right - left).enumerated() {
            let total = row.map(\.width).reduce(0, +) - 18
            var x = (left + right) / 2 - total / 2
            let y = top + Double(r) * 24 + 12
            for entry in row {
                let color = palette[index % palette.count]
                out += "<line x1=\"\(n(x))\" y1=\"\(n(y))\" x2=\"\(n(x + 22))\" y2=\"\(n(y))\" stroke=\"\(color)\" stroke-width=\"3\" stroke-linecap=\"round\"/>\n"
                out += "<text class=\"lb-plot-label\" x=\"\(n(x + 30))\" y=\"\(n(y + 4))\" fill=\"#1f2328\">\(esc(entry.name))</text>\n"
                x += entry.width
                index += 1
            }
        }
        return out + "</g>\n"
    }

    // MARK: - Formatting

    /// A coordinate with at most two decimals and no trailing zeros: `12.5`, `40`.
    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        var s = String(format: "%.2f", rounded)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// Text for SVG: HTML-escaped, with the control characters XML forbids removed.
    static func esc(_ text: String) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.filter {
            $0.value >= 0x20 || $0 == "\t" || $0 == "\n" || $0 == "\r"
        }))
        return HTMLEscaping.escape(cleaned)
    }
}

/// Round-number axis ticks (1, 2, 2.5 or 5 times a power of ten), about five to eight of
/// them, with an axis range that starts and ends on a tick. With `integral`, for data that
/// are whole numbers, every tick is a whole number too (the step is at least 1, never 2.5).
public struct NiceScale: Equatable {
    public var lower: Double
    public var upper: Double
    public var step: Double
    public var ticks: [Double]

    public init(minimum: Double, maximum: Double, targetTicks: Int = 6, integral: Bool = false) {
        // Keep the span finite (a series reaching ±1e308 would overflow `hi - lo`).
        var lo = max(minimum, -1e300), hi = min(maximum, 1e300)
        if !(hi > lo) {
            // A flat series: open a window around the value.
            let pad = lo == 0 || integral ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        let rawStep = (hi - lo) / Double(max(1, targetTicks - 1))
        let magnitude = pow(10, floor(log10(rawStep)))
        let fraction = rawStep / magnitude
        let niceFraction: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        var step = niceFraction * magnitude
        if integral {
            // 2.5 is rounded down to 2 (a few more ticks rather than far fewer).
            step = max(1, step == 2.5 ? 2 : step)
        }
        // Small tolerances keep values that sit on a tick (up to rounding) from adding a tick.
        let first = floor(lo / step + 1e-9) * step
        let last = ceil(hi / step - 1e-9) * step
        var ticks: [Double] = []
        var k = 0
        while true {
            let t = first + Double(k) * step
            if t > last + step * 1e-6 || k > 1000 { break }
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            k += 1
        }
        self.lower = first
        self.upper = max(last, first + step)
        self.step = step
        self.ticks = ticks
    }

    /// A tick label with just enough decimals for the step; exponent form for very large or
    /// very small magnitudes.
    public func label(_ value: Double) -> String {
        let largest = max(abs(lower), abs(upper))
        if largest >= 1e6 || largest < 1e-3 {
            if value == 0 { return "0" }
            var s = String(format: "%.2g", value)
            s = s.replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+", with: "e")
            return s
        }
        let decimals = max(0, Int(ceil(-log10(step) - 1e-9)) + (step / pow(10, floor(log10(step))) == 2.5 ? 1 : 0))
        return String(format: "%.\(decimals)f", value)
    }
}
