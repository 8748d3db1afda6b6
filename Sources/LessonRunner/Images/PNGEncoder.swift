import Foundation
import CZlib

/// An error while encoding or writing an image; the message names the operation and sizes.
public struct ImageError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Encodes 8-bit grayscale pixels as a PNG file (colour type 0, bit depth 8, no interlace).
///
/// Rows use the PNG "Up" filter where it helps: feature maps are smooth vertically more often
/// than not, and the choice is made per row by the usual minimum-sum-of-absolute-values rule.
public enum PNGEncoder {
    /// The eight bytes every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A PNG holding `pixels` (row-major, `width * height` bytes, 0 = black, 255 = white).
    public static func encodeGrayscale(width: Int, height: Int, pixels: [UInt8]) throws -> Data {
        try encode(width: width, height: height, pixels: pixels, palette: nil)
    }

    /// A PNG whose bytes index `palette` (colour type 3): 256 RGB triples, 768 bytes.
    public static func encodeIndexed(width: Int, height: Int, pixels: [UInt8], palette: [UInt8]) throws -> Data {
        guard palette.count == 768 else { throw ImageError("PNG encoding: a palette has 256 RGB entries (768 bytes), got \(palette.count)") }
        return try encode(width: width, height: height, pixels: pixels, palette: palette)
    }

    private static func encode(width: Int, height: Int, pixels: [UInt8], palette: [UInt8]?) throws -> Data {
        guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24 else {
            throw ImageError("PNG encoding: invalid image size \(width)×\(height)")
        }
        guard pixels.count == width * height else {
            throw ImageError("PNG encoding: \(width)×\(height) image needs \(width * height) pixels, got \(pixels.count)")
        }
        let raw = filteredScanlines(width: width, height: height, pixels: pixels)
        let compressed = try deflate(raw)

        var png = Data(signature)
        var header = [UInt8]()
        header += bigEndian(UInt32(width))
        header += bigEndian(UInt32(height))
        // Bit depth 8, grayscale (0) or indexed (3), deflate, adaptive filtering, no interlace.
        header += [8, palette == nil ? 0 : 3, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        if let palette { appendChunk("PLTE", palette, to: &png) }
        appendChunk("IDAT", compressed, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// The CRC-32 PNG stores after each chunk, over the chunk type and data (zlib's crc32).
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        let value = bytes.withUnsafeBufferPointer { buffer in
            CZlib.crc32(CZlib.crc32(0, nil, 0), buffer.baseAddress, uInt(buffer.count))
        }
        return UInt32(truncatingIfNeeded: value)
    }

    // MARK: - Pieces

    /// Each row prefixed by its filter byte: 0 (None) or 2 (Up), whichever has the smaller
    /// sum of absolute (signed) residuals.
    static func filteredScanlines(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (width + 1) * height)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let row = y * width
                    let base = y * (width + 1)
                    var costNone = 0, costUp = 0
                    if y > 0 {
                        for x in 0..<width {
                            let v = src[row + x]
                            costNone += abs(Int(Int8(bitPattern: v)))
                            costUp += abs(Int(Int8(bitPattern: v &- src[row - width + x])))
                        }
                    }
                    if y > 0 && costUp < costNone {
                        dst[base] = 2
                        for x in 0..<width { dst[base + 1 + x] = src[row + x] &- src[row - width + x] }
                    } else {
                        dst[base] = 0
                        for x in 0..<width { dst[base + 1 + x] = src[row + x] }
                    }
                }
            }
        }
        return out
    }

    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(capacity))
        let status = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &capacity, src.baseAddress, uLong(src.count), Z_BEST_COMPRESSION)
            }
        }
        guard status == Z_OK else { throw ImageError("PNG encoding: zlib compress2 failed with status \(status)") }
        out.removeSubrange(Int(capacity)...)
        return out
    }

    static func appendChunk(_ type: String, _ data: [UInt8], to png: inout Data) {
        let typeBytes = Array(type.utf8)
        png.append(contentsOf: bigEndian(UInt32(data.count)))
        png.append(contentsOf: typeBytes)
        png.append(contentsOf: data)
        png.append(contentsOf: bigEndian(crc32(typeBytes + data)))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
