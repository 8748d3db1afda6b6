import Foundation

/// Binary PGM (`P5`), the plain format of record for images: a text header and the raw bytes,
/// readable by every image tool and trivially diffable by size.
public enum PGMWriter {
    /// The bytes of a P5 file with maximum value 255.
    public static func encode(width: Int, height: Int, pixels: [UInt8]) throws -> Data {
        guard width > 0, height > 0 else { throw ImageError("PGM encoding: invalid image size \(width)×\(height)") }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow else { throw ImageError("PGM encoding: image size \(width)×\(height) overflows") }
        guard pixels.count == count else {
            throw ImageError("PGM encoding: \(width)×\(height) image needs \(count) pixels, got \(pixels.count)")
        }
        var data = Data("P5\n\(width) \(height)\n255\n".utf8)
        data.append(contentsOf: pixels)
        return data
    }
}
