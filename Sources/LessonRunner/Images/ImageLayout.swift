import Foundation
import TensorEngine
import LessonScript

/// 8-bit grayscale pixels laid out from a tensor, ready for PNG/PGM, with the scale at which
/// the page should draw them.
public struct GrayImage: Equatable {
    public var width: Int
    public var height: Int
    /// Row-major, `width * height` bytes, 0 = black, 255 = white.
    public var pixels: [UInt8]
    /// How many feature maps the image holds, and the size of one.
    public var mapCount: Int
    public var mapHeight: Int
    public var mapWidth: Int
    /// Grid rows and columns (1 × 1 for a single map).
    public var gridRows: Int
    public var gridColumns: Int
    /// The whole-number factor the page draws the pixels at (nearest-neighbour, via
    /// `image-rendering: pixelated`); the PNG itself stays at one pixel per value.
    public var displayScale: Int
    /// The values drawn black and white (shared by every map of a grid); nil when the image
    /// has no finite value.
    public var valueRange: ClosedRange<Float>?
    /// Gray: the bytes are gray levels. Diverging: levels 0…254 index `ImageLayout.divergingPalette`
    /// (blue, white in the middle, red) and 255 is the gap between maps.
    public var colormap: OutputImage.Colormap

    public init(width: Int, height: Int, pixels: [UInt8], mapCount: Int, mapHeight: Int, mapWidth: Int,
                gridRows: Int, gridColumns: Int, displayScale: Int, valueRange: ClosedRange<Float>? = nil,
                colormap: OutputImage.Colormap = .gray) {
        self.width = width; self.height = height; self.pixels = pixels; self.mapCount = mapCount
        self.mapHeight = mapHeight; self.mapWidth = mapWidth; self.gridRows = gridRows
        self.gridColumns = gridColumns; self.displayScale = displayScale; self.valueRange = valueRange
        self.colormap = colormap
    }

    /// The caption's note on the scale: `black −1 … white 1`, or `all 0` for a constant image.
    public var rangeDescription: String? {
        guard let range = valueRange else { return nil }
        func number(_ v: Float) -> String {
            let text = v == v.rounded() && abs(v) < 1e6 ? String(Int(v)) : String(format: "%.3g", v)
            return text.replacingOccurrences(of: "-", with: "−")
        }
        if range.lowerBound == range.upperBound { return "all \(number(range.lowerBound))" }
        if colormap == .diverging {
            return "blue \(number(range.lowerBound)) … white \(number((range.lowerBound + range.upperBound) / 2)) … red \(number(range.upperBound))"
        }
        return "black \(number(range.lowerBound)) … white \(number(range.upperBound))"
    }

    /// The pixels enlarged `factor` times in each direction (nearest neighbour).
    public func upscaled(by factor: Int) -> GrayImage {
        guard factor > 1 else { return self }
        var copy = self
        copy.width = width * factor
        copy.height = height * factor
        copy.pixels = [UInt8](repeating: 0, count: copy.width * copy.height)
        for y in 0..<copy.height {
            let source = (y / factor) * width
            for x in 0..<copy.width { copy.pixels[y * copy.width + x] = pixels[source + x / factor] }
        }
        copy.displayScale = max(1, displayScale / factor)
        return copy
    }

    /// The caption's size note: `6×8`, or `8 maps, 6×8 each`.
    public var sizeDescription: String {
        mapCount == 1 ? "\(mapHeight)×\(mapWidth)" : "\(mapCount) maps, \(mapHeight)×\(mapWidth) each"
    }
}

/// Turns an image tensor into pixels.
///
/// Accepted shapes: `[H, W]` (one map), `[C, H, W]` (C maps) and `[N, C, H, W]` (N·C maps:
/// one row per sample when both N and C exceed 1). All maps share one min–max scale, so the
/// same value is the same gray in every map of a grid and a map of zeros among others is
/// drawn as zero; a constant image is drawn mid-gray. Maps are placed on a grid with a
/// one-pixel white gap. Non-finite values are drawn black (NaN, -inf)
/// or white (+inf) and left out of the scaling.
public enum ImageLayout {
    /// The gray used for a map whose values are all equal.
    public static let constantGray: UInt8 = 128
    /// The gap colour between maps.
    public static let gapGray: UInt8 = 255
    /// Widest the page should draw one map / a grid, in CSS pixels (before `max-width: 100%`).
    static let singleTarget = 240
    static let gridTarget = 560
    static let maxScale = 32
    /// Grids are drawn at most this much larger, so the one-pixel gaps stay thin.
    static let maxGridScale = 16

    /// The 256 RGB entries of the diverging palette: levels 0…254 run from blue through white
    /// (127) to red (ColorBrewer's RdBu), and 255, the gap between maps, is a light gray.
    public static let divergingPalette: [UInt8] = {
        let stops: [(Double, Double, Double)] = [(33, 102, 172), (103, 169, 207), (247, 247, 247), (239, 138, 98), (178, 24, 43)]
        var palette: [UInt8] = []
        for level in 0..<255 {
            let t = Double(level) / 254 * Double(stops.count - 1)
            let i = min(Int(t), stops.count - 2), f = t - Double(i)
            let (a, b) = (stops[i], stops[i + 1])
            palette += [a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f].map { UInt8($0.rounded()) }
        }
        return palette + [208, 208, 208]
    }()

    /// Lays out an image as `show` recorded it: its colormap and value range.
    public static func layout(_ image: OutputImage) throws -> GrayImage {
        try layout(image.pixels, colormap: image.colormap, vmin: image.vmin, vmax: image.vmax)
    }

    /// Lays out `tensor`; throws for a meta tensor, an empty one, or an unsupported rank.
    /// `vmin`/`vmax` fix the ends of the scale (values beyond are clamped); a diverging map
    /// without them is symmetric around 0.
    public static func layout(_ tensor: Tensor, colormap: OutputImage.Colormap = .gray,
                              vmin: Float? = nil, vmax: Float? = nil) throws -> GrayImage {
        let shape = tensor.shape
        if tensor.isMeta {
            throw ImageError("show: a shape-only tensor \(describe(shape)) has no pixels to draw")
        }
        let maps: Int, h: Int, w: Int, rows: Int, cols: Int
        switch shape.count {
        case 2:
            (maps, h, w) = (1, shape[0], shape[1])
            (rows, cols) = (1, 1)
        case 3:
            (maps, h, w) = (shape[0], shape[1], shape[2])
            (rows, cols) = gridShape(count: maps, mapHeight: h, mapWidth: w)
        case 4:
            (maps, h, w) = (shape[0] * shape[1], shape[2], shape[3])
            if shape[0] > 1 && shape[1] > 1 {
                (rows, cols) = (shape[0], shape[1])
            } else {
                (rows, cols) = gridShape(count: maps, mapHeight: h, mapWidth: w)
            }
        default:
            throw ImageError("show: expected an image of shape [H, W], [C, H, W] or [N, C, H, W], got \(describe(shape))")
        }
        guard maps > 0, h > 0, w > 0 else {
            throw ImageError("show: cannot draw an empty image of shape \(describe(shape))")
        }
        let width = cols * w + (cols - 1)
        let height = rows * h + (rows - 1)
        guard width <= 16_384, height <= 16_384 else {
            throw ImageError("show: image of shape \(describe(shape)) would be \(width)×\(height) pixels, more than 16384 on a side")
        }
        var pixels = [UInt8](repeating: gapGray, count: width * height)
        var (lo, hi) = tensor.finiteRange.map { ($0.lowerBound, $0.upperBound) } ?? (Float.infinity, -Float.infinity)
        if colormap == .diverging, lo <= hi {
            let m = max(abs(lo), abs(hi))
            (lo, hi) = (-m, m)
        }
        if let vmin { lo = vmin }
        if let vmax { hi = vmax }
        let top: Float = colormap == .diverging ? 254 : 255
        tensor.withUnsafeBufferPointer { values in
            pixels.withUnsafeMutableBufferPointer { out in
                let mapSize = h * w
                for m in 0..<maps {
                    let src = UnsafeBufferPointer(rebasing: values[(m * mapSize)..<((m + 1) * mapSize)])
                    let originY = (m / cols) * (h + 1)
                    let originX = (m % cols) * (w + 1)
                    drawMap(src, height: h, width: w, lo: lo, hi: hi, top: top, into: out, rowStride: width, originX: originX, originY: originY)
                }
            }
        }
        let target = maps == 1 ? singleTarget : gridTarget
        let scale = max(1, min(maps == 1 ? maxScale : maxGridScale, target / max(width, height)))
        return GrayImage(width: width, height: height, pixels: pixels, mapCount: maps, mapHeight: h, mapWidth: w,
                         gridRows: rows, gridColumns: cols, displayScale: scale, valueRange: lo <= hi ? lo...hi : nil,
                         colormap: colormap)
    }

    /// Rows × columns for `count` maps: aims at a grid about 2.5 times as wide as high (a page
    /// is wider than tall), penalising empty slots: 4 maps of 6×7 become one row, 8 become
    /// 2 × 4, 16 maps of 28×28 become 2 × 8.
    public static func gridShape(count: Int, mapHeight: Int, mapWidth: Int) -> (rows: Int, columns: Int) {
        guard count > 1 else { return (1, 1) }
        var best = (rows: 1, columns: count)
        var bestScore = Double.infinity
        for cols in 1...count {
            let rows = (count + cols - 1) / cols
            if (rows - 1) * cols >= count { continue }  // a whole empty row
            let gridW = Double(cols * mapWidth + cols - 1)
            let gridH = Double(rows * mapHeight + rows - 1)
            let empty = Double(rows * cols - count) / Double(count)
            let score = abs(log((gridW / gridH) / 2.5)) + 3 * empty
            if score < bestScore - 1e-9 { bestScore = score; best = (rows, cols) }
        }
        return best
    }

    private static func drawMap(_ src: UnsafeBufferPointer<Float>, height h: Int, width w: Int, lo: Float, hi: Float, top: Float,
                                into out: UnsafeMutableBufferPointer<UInt8>, rowStride: Int, originX: Int, originY: Int) {
        let constant = !(hi > lo)
        let scale = constant ? 0 : top / (hi - lo)
        let middle = UInt8((top / 2).rounded(.down))
        for y in 0..<h {
            let dstRow = (originY + y) * rowStride + originX
            let srcRow = y * w
            for x in 0..<w {
                let v = src[srcRow + x]
                let byte: UInt8
                if v.isNaN || v == -.infinity { byte = 0 }
                else if v == .infinity { byte = UInt8(top) }
                else if constant { byte = top == 255 ? constantGray : middle }
                else { byte = UInt8(max(0, min(top, ((v - lo) * scale).rounded()))) }
                out[dstRow + x] = byte
            }
        }
    }

    static func describe(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
