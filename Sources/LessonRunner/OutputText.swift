import Foundation
import LessonScript

/// How a cell's outputs read inside an ```output block, the form that `check` compares:
///
/// - printed text exactly as printed;
/// - a displayed value (`.value`) as is, on its own line;
/// - a table as a Markdown pipe table (its title, when it has one, on the line above; a
///   rule row before the footer rows of a summary);
/// - an image as `[image: TITLE, H×W]`, or `[image: TITLE, C×H×W]` for a grid of maps;
/// - a plot as `[plot: TITLE, N points]` for one series, or
///   `[plot: TITLE, 2 series: loss (10 points), accuracy (10 points)]`.
///
/// Each rich output starts on a line of its own. Trailing newlines are dropped.
public enum OutputText {
    /// The block text of `outputs`.
    public static func text(of outputs: [CellOutput]) -> String {
        var out = ""
        for output in outputs {
            switch output {
            case .text(let printed):
                out += printed
            case .rich(let rich):
                if !out.isEmpty, !out.hasSuffix("\n") { out += "\n" }
                out += line(for: rich) + "\n"
            }
        }
        while out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    /// The block text of a cell that raised `errorText` after printing `outputs`.
    public static func text(of outputs: [CellOutput], error errorText: String) -> String {
        let printed = text(of: outputs)
        return printed.isEmpty ? errorText : printed + "\n" + errorText
    }

    /// One rich output as block text (a table spans several lines).
    public static func line(for output: RichOutput) -> String {
        switch output {
        case .value(let shown): return shown
        case .table(let table): return pipeTable(table)
        case .image(let image): return imageLine(image)
        case .plot(let plot): return plotLine(plot)
        case .diagram(let diagram): return diagramLine(diagram)
        }
    }

    /// `[diagram: TITLE: ARITHMETIC]`: the checked part of a diagram is what it computed.
    public static func diagramLine(_ diagram: OutputDiagram) -> String {
        "[diagram: \(diagram.title): \(diagram.caption)]"
    }

    /// `[image: TITLE, H×W]`; the title is left out when empty.
    public static func imageLine(_ image: OutputImage) -> String {
        let size = image.pixels.shape.map(String.init).joined(separator: "×")
        return image.title.isEmpty ? "[image: \(size)]" : "[image: \(image.title), \(size)]"
    }

    /// `[plot: TITLE, N points]` or, for several series, each series with its size.
    public static func plotLine(_ plot: OutputPlot) -> String {
        let detail: String
        if plot.series.count == 1 {
            detail = "\(plot.series[0].y.count) points"
        } else {
            let each = plot.series.map { "\($0.name) (\($0.y.count) points)" }.joined(separator: ", ")
            detail = "\(plot.series.count) series" + (each.isEmpty ? "" : ": " + each)
        }
        return plot.title.isEmpty ? "[plot: \(detail)]" : "[plot: \(plot.title), \(detail)]"
    }

    /// A Markdown pipe table with columns padded to equal width (numbers right-aligned), so it
    /// reads in a monospaced block and renders as a table when pasted into prose.
    public static func pipeTable(_ table: OutputTable) -> String {
        let columns = max(table.headers.count, table.rows.map(\.count).max() ?? 0)
        guard columns > 0 else { return table.title ?? "" }
        func cells(_ row: [String]) -> [String] {
            (0..<columns).map { $0 < row.count ? escape(row[$0]) : "" }
        }
        let header = cells(table.headers)
        let body = table.rows.map(cells)
        var widths = header.map { max(3, $0.count) }
        for row in body { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let numeric = (0..<columns).map { column in
            !body.isEmpty && body.allSatisfy { $0[column].isEmpty || looksNumeric($0[column]) }
        }
        func render(_ row: [String]) -> String {
            let padded = row.enumerated().map { i, cell -> String in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return numeric[i] ? pad + cell : cell + pad
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = "|" + widths.enumerated().map { i, w in
            numeric[i] ? " " + String(repeating: "-", count: w - 1) + ": " : " " + String(repeating: "-", count: w) + " "
        }.joined(separator: "|") + "|"
        var lines: [String] = []
        if let title = table.title, !title.isEmpty { lines.append(title) }
        lines.append(render(header))
        lines.append(rule)
        for (index, row) in body.enumerated() {
            if let footer = table.footerStart, footer == index, index > 0 { lines.append(rule) }
            lines.append(render(row))
        }
        return lines.joined(separator: "\n")
    }

    private static func escape(_ cell: String) -> String {
        cell.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    private static func looksNumeric(_ cell: String) -> Bool {
        let stripped = cell.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
        return Double(stripped.trimmingCharacters(in: .whitespaces)) != nil
    }
}
