import Foundation
import LessonScript
import TensorEngine

/// What one cell's run left behind, stored in the cache under the cell's `CellKey` beside the
/// interpreter state after it: its status, its outputs (images with their pixels, tables,
/// plots), the text of its output block, the names of its artifact files and its time.
/// Every command shows cells from these records; nothing is read back from `output/`.
public struct CellRecord: Codable {
    public var status: CellStatus
    public var outputs: [CellOutput]
    /// The cell's output-block text (`OutputText.text(of: outputs)`).
    public var blockText: String
    /// The files its images and plots are written to (`ArtifactNames.artifacts`).
    public var artifacts: [String]
    public var seconds: Double

    public init(run: CellRun, names: ArtifactNames) {
        status = run.status
        outputs = run.outputs
        blockText = OutputText.text(of: run.outputs)
        artifacts = names.artifacts(of: run.outputs, cellID: run.id).map(\.file)
        seconds = run.seconds
    }

    /// The record as the run of `cell`.
    public func run(of cell: LessonDocument.Cell) -> CellRun {
        CellRun(id: cell.id, line: cell.fenceLine, outputs: outputs, status: status, seconds: seconds)
    }

    /// Whether a run with this status is worth keeping: a cell that failed or timed out runs
    /// again next time (a timeout depends on the machine's load, not only on the key).
    static func keeps(_ status: CellStatus) -> Bool {
        switch status {
        case .succeeded, .unexpectedSuccess: return true
        case .failed, .timedOut, .notRun: return false
        }
    }
}

extension CellStatus: Codable {
    private enum Keys: String, CodingKey { case kind, message, seconds }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "succeeded": self = .succeeded
        case "failed": self = .failed(message: try c.decode(String.self, forKey: .message))
        case "timedOut": self = .timedOut(seconds: try c.decode(Double.self, forKey: .seconds))
        case "notRun": self = .notRun(reason: try c.decode(String.self, forKey: .message))
        case "unexpectedSuccess": self = .unexpectedSuccess
        case let other: throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown status \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .succeeded: try c.encode("succeeded", forKey: .kind)
        case .failed(let message): try c.encode("failed", forKey: .kind); try c.encode(message, forKey: .message)
        case .timedOut(let seconds): try c.encode("timedOut", forKey: .kind); try c.encode(seconds, forKey: .seconds)
        case .notRun(let reason): try c.encode("notRun", forKey: .kind); try c.encode(reason, forKey: .message)
        case .unexpectedSuccess: try c.encode("unexpectedSuccess", forKey: .kind)
        }
    }
}

extension CellOutput: Codable {
    private enum Keys: String, CodingKey { case kind, text, title, headers, rows, footerStart, shape, dtype, pixels, colormap, vmin, vmax, titles, xLabel, yLabel, series, diagram }
    private struct Series: Codable { var name: String; var x: [Double]; var y: [Double] }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "text": self = .text(try c.decode(String.self, forKey: .text))
        case "value": self = .rich(.value(try c.decode(String.self, forKey: .text)))
        case "table":
            self = .rich(.table(OutputTable(title: try c.decodeIfPresent(String.self, forKey: .title),
                                            headers: try c.decode([String].self, forKey: .headers),
                                            rows: try c.decode([[String]].self, forKey: .rows),
                                            footerStart: try c.decodeIfPresent(Int.self, forKey: .footerStart))))
        case "image":
            let shape = try c.decode([Int].self, forKey: .shape)
            let data = try c.decode(Data.self, forKey: .pixels)
            var scalars = [Float](repeating: 0, count: data.count / MemoryLayout<Float>.size)
            _ = scalars.withUnsafeMutableBytes { data.copyBytes(to: $0) }
            let dtype = (try? c.decode(String.self, forKey: .dtype)).flatMap(DType.init(rawValue:)) ?? .float32
            guard let pixels = try? Tensor(shape: shape, scalars: scalars, dtype: dtype) else {
                throw DecodingError.dataCorruptedError(forKey: .pixels, in: c, debugDescription: "image pixels do not fit its shape")
            }
            let colormap = try c.decodeIfPresent(String.self, forKey: .colormap).flatMap(OutputImage.Colormap.init(rawValue:)) ?? .gray
            self = .rich(.image(OutputImage(title: try c.decode(String.self, forKey: .title), pixels: pixels, colormap: colormap,
                                            vmin: try c.decodeIfPresent(Float.self, forKey: .vmin),
                                            vmax: try c.decodeIfPresent(Float.self, forKey: .vmax),
                                            titles: try c.decodeIfPresent([String].self, forKey: .titles))))
        case "plot":
            let series = try c.decode([Series].self, forKey: .series).map { OutputPlot.Series(name: $0.name, x: $0.x, y: $0.y) }
            self = .rich(.plot(OutputPlot(title: try c.decode(String.self, forKey: .title),
                                          xLabel: try c.decodeIfPresent(String.self, forKey: .xLabel),
                                          yLabel: try c.decodeIfPresent(String.self, forKey: .yLabel), series: series)))
        case "diagram": self = .rich(.diagram(try c.decode(OutputDiagram.self, forKey: .diagram)))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown output \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .text(let text):
            try c.encode("text", forKey: .kind); try c.encode(text, forKey: .text)
        case .rich(.value(let text)):
            try c.encode("value", forKey: .kind); try c.encode(text, forKey: .text)
        case .rich(.table(let table)):
            try c.encode("table", forKey: .kind)
            try c.encodeIfPresent(table.title, forKey: .title)
            try c.encode(table.headers, forKey: .headers)
            try c.encode(table.rows, forKey: .rows)
            try c.encodeIfPresent(table.footerStart, forKey: .footerStart)
        case .rich(.image(let image)):
            try c.encode("image", forKey: .kind)
            try c.encode(image.title, forKey: .title)
            try c.encode(image.pixels.shape, forKey: .shape)
            try c.encode(image.pixels.dtype.rawValue, forKey: .dtype)
            try c.encode(image.pixels.withUnsafeBufferPointer { Data(buffer: $0) }, forKey: .pixels)
            try c.encode(image.colormap.rawValue, forKey: .colormap)
            try c.encodeIfPresent(image.vmin, forKey: .vmin)
            try c.encodeIfPresent(image.vmax, forKey: .vmax)
            try c.encodeIfPresent(image.titles, forKey: .titles)
        case .rich(.plot(let plot)):
            try c.encode("plot", forKey: .kind)
            try c.encode(plot.title, forKey: .title)
            try c.encodeIfPresent(plot.xLabel, forKey: .xLabel)
            try c.encodeIfPresent(plot.yLabel, forKey: .yLabel)
            try c.encode(plot.series.map { Series(name: $0.name, x: $0.x, y: $0.y) }, forKey: .series)
        case .rich(.diagram(let diagram)):
            try c.encode("diagram", forKey: .kind)
            try c.encode(diagram, forKey: .diagram)
        }
    }
}
