import Foundation
import TensorEngine

/// What a cell shows besides printed text. The interpreter only records these; the runner
/// decides how to draw them (pipe table, PNG, SVG, ...).
public enum RichOutput {
    /// The value of the cell's last expression statement, displayed as in a notebook.
    case value(String)
    case table(OutputTable)
    case image(OutputImage)
    case plot(OutputPlot)
    /// Small tensors drawn as grids of numbers: `diagram(corr2d: X, K, at: (0, 0))`.
    case diagram(OutputDiagram)
}

/// A table: `table(rows, headers:)`, or the shape table of `summary`.
public struct OutputTable: Equatable {
    public var title: String?
    public var headers: [String]
    public var rows: [[String]]
    /// Rows after which a rule is drawn (totals of a summary), by index; may be empty.
    public var footerStart: Int?
    public init(title: String? = nil, headers: [String], rows: [[String]], footerStart: Int? = nil) {
        self.title = title; self.headers = headers; self.rows = rows; self.footerStart = footerStart
    }
}

/// A grayscale image or a grid of feature maps: `show(x, title:)`. `pixels` is `[H, W]`
/// or `[C, H, W]` (one map per channel); values are raw and scaled by the renderer.
public struct OutputImage {
    /// How values become colours: gray (black to white), or diverging (blue, white at 0, red)
    /// for signed data.
    public enum Colormap: String, Equatable { case gray, diverging }
    public var title: String
    public var pixels: Tensor
    public var colormap: Colormap
    /// The values drawn at the ends of the scale; nil means the data's own minimum/maximum.
    public var vmin: Float?
    public var vmax: Float?
    /// A label for each map of a grid (`show(maps, titles:)`); nil labels them by channel.
    public var titles: [String]?
    public init(title: String, pixels: Tensor, colormap: Colormap = .gray, vmin: Float? = nil, vmax: Float? = nil,
                titles: [String]? = nil) {
        self.title = title; self.pixels = pixels; self.colormap = colormap; self.vmin = vmin; self.vmax = vmax
        self.titles = titles
    }
}

/// A line chart: `plot(losses, title:)`, or several named series.
public struct OutputPlot: Equatable {
    public struct Series: Equatable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public init(name: String, x: [Double], y: [Double]) { self.name = name; self.x = x; self.y = y }
    }
    public var title: String
    public var xLabel: String?
    public var yLabel: String?
    public var series: [Series]
    public init(title: String, xLabel: String? = nil, yLabel: String? = nil, series: [Series]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
    }
}

/// Where a running cell's side effects go: printed text, rich outputs, progress, and the
/// cancellation check. The runner implements it; tests implement it to capture output.
public protocol ScriptHost: AnyObject {
    /// Text printed by the cell (`print`), terminator included.
    func write(_ text: String)
    /// A rich output, in order with the printed text.
    func display(_ output: RichOutput)
    /// Progress of long work (a data loader's epoch), for the terminal only, never compared.
    func progress(_ label: String, completed: Int, total: Int)
    /// Called in every loop iteration and every call; throws to stop the cell (timeout).
    func checkCancellation() throws
}

extension ScriptHost {
    public func progress(_ label: String, completed: Int, total: Int) {}
    public func checkCancellation() throws {}
}

/// A position in the lesson file (1-based line and column, in the Markdown file's lines).
public struct SourceLocation: Equatable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}
