import Foundation
import LessonScript

/// Writes a cell's images: PNG for pages, binary PGM as the plain format of record.
/// Both are written atomically (temporary file, then rename) and create missing folders.
public enum ImageWriter {
    /// Long side of an exported PNG, at least: small maps are enlarged by a whole factor
    /// (nearest neighbour, so they stay crisp) and read well on GitHub and in a viewer.
    public static let exportLongSide = 256

    /// Writes `image` as a grayscale PNG, enlarged to `exportLongSide` by a whole factor.
    /// The PGM keeps one pixel per value: it is the data.
    public static func writePNG(_ image: OutputImage, to url: URL) throws {
        let laid = try ImageLayout.layout(image)
        let longSide = max(laid.width, laid.height)
        let factor = longSide >= exportLongSide ? 1 : (exportLongSide + longSide - 1) / longSide
        try write(pngData(laid.upscaled(by: factor)), to: url)
    }

    /// Writes `image` as a binary PGM (P5).
    public static func writePGM(_ image: OutputImage, to url: URL) throws {
        let laid = try ImageLayout.layout(image)
        try write(PGMWriter.encode(width: laid.width, height: laid.height, pixels: laid.pixels), to: url)
    }

    /// The PNG bytes of `image` (what the page embeds as a data: URI).
    public static func pngData(_ image: OutputImage) throws -> Data {
        try pngData(ImageLayout.layout(image))
    }

    /// The PNG bytes of already laid-out pixels.
    public static func pngData(_ laid: GrayImage) throws -> Data {
        laid.colormap == .diverging
            ? try PNGEncoder.encodeIndexed(width: laid.width, height: laid.height, pixels: laid.pixels, palette: ImageLayout.divergingPalette)
            : try PNGEncoder.encodeGrayscale(width: laid.width, height: laid.height, pixels: laid.pixels)
    }

    private static func write(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
