import Foundation
import XCTest
import CZlib
@testable import LessonRunner

final class PNGEncoderTests: XCTestCase {
    struct Chunk { var type: String; var data: [UInt8]; var crc: UInt32 }

    /// Splits a PNG into chunks, checking the signature and lengths.
    func chunks(_ png: Data) throws -> [Chunk] {
        let bytes = [UInt8](png)
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var chunks: [Chunk] = []
        var i = 8
        func u32(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        while i < bytes.count {
            guard i + 12 <= bytes.count else { XCTFail("truncated chunk at \(i)"); break }
            let length = Int(u32(i))
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let data = Array(bytes[(i + 8)..<(i + 8 + length)])
            chunks.append(Chunk(type: type, data: data, crc: u32(i + 8 + length)))
            i += 12 + length
        }
        return chunks
    }

    /// A bitwise CRC-32 written independently of zlib, to check the encoder's chunk CRCs.
    func referenceCRC(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Decodes IDAT with zlib's uncompress and undoes the row filters (None, Up, Sub).
    func decodePixels(_ idat: [UInt8], width: Int, height: Int) throws -> [UInt8] {
        var rawLength = uLong((width + 1) * height)
        var raw = [UInt8](repeating: 0, count: Int(rawLength))
        let status = raw.withUnsafeMutableBufferPointer { dst in
            idat.withUnsafeBufferPointer { src in uncompress(dst.baseAddress, &rawLength, src.baseAddress, uLong(src.count)) }
        }
        XCTAssertEqual(status, Z_OK)
        XCTAssertEqual(Int(rawLength), (width + 1) * height)
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            let filter = raw[y * (width + 1)]
            for x in 0..<width {
                let v = raw[y * (width + 1) + 1 + x]
                let up = y > 0 ? pixels[(y - 1) * width + x] : 0
                let left = x > 0 ? pixels[y * width + x - 1] : 0
                switch filter {
                case 0: pixels[y * width + x] = v
                case 1: pixels[y * width + x] = v &+ left
                case 2: pixels[y * width + x] = v &+ up
                default: XCTFail("unexpected filter \(filter)")
                }
            }
        }
        return pixels
    }

    func testRoundTripHeaderAndCRC() throws {
        let width = 5, height = 4
        let pixels: [UInt8] = (0..<(width * height)).map { UInt8(($0 * 37) % 256) }
        let png = try PNGEncoder.encodeGrayscale(width: width, height: height, pixels: pixels)
        let parts = try chunks(png)
        XCTAssertEqual(parts.map(\.type), ["IHDR", "IDAT", "IEND"])
        for chunk in parts {
            XCTAssertEqual(chunk.crc, referenceCRC(Array(chunk.type.utf8) + chunk.data), "CRC of \(chunk.type)")
        }
        let ihdr = parts[0].data
        XCTAssertEqual(ihdr.count, 13)
        XCTAssertEqual(Array(ihdr[0..<8]), [0, 0, 0, 5, 0, 0, 0, 4])
        XCTAssertEqual(Array(ihdr[8..<13]), [8, 0, 0, 0, 0], "8-bit grayscale, deflate, no interlace")
        XCTAssertEqual(try decodePixels(parts[1].data, width: width, height: height), pixels)
        XCTAssertTrue(parts[2].data.isEmpty)
    }

    func testUpFilterIsUsedForRepeatedRowsAndDecodes() throws {
        // Identical rows of a ramp: "Up" residuals are all zero, cheaper than the raw ramp.
        let width = 64, height = 8
        let pixels: [UInt8] = (0..<(width * height)).map { UInt8(($0 % width) * 4) }
        let png = try PNGEncoder.encodeGrayscale(width: width, height: height, pixels: pixels)
        let idat = try chunks(png)[1].data
        XCTAssertEqual(try decodePixels(idat, width: width, height: height), pixels)
        XCTAssertEqual(PNGEncoder.filteredScanlines(width: width, height: height, pixels: pixels)[width + 1], 2)
    }

    func testZlibCRCMatchesKnownValue() {
        XCTAssertEqual(PNGEncoder.crc32(Array("IEND".utf8)), 0xAE42_6082)
        XCTAssertEqual(PNGEncoder.crc32(Array("123456789".utf8)), 0xCBF4_3926)
    }

    func testRejectsWrongPixelCountAndEmptySize() {
        XCTAssertThrowsError(try PNGEncoder.encodeGrayscale(width: 2, height: 2, pixels: [1, 2, 3])) { error in
            XCTAssertTrue("\(error)".contains("2×2"), "\(error)")
        }
        XCTAssertThrowsError(try PNGEncoder.encodeGrayscale(width: 0, height: 3, pixels: []))
    }

    func testPGMIsBinaryP5() throws {
        let data = try PGMWriter.encode(width: 3, height: 2, pixels: [0, 1, 2, 253, 254, 255])
        let header = Array("P5\n3 2\n255\n".utf8)
        XCTAssertEqual(Array(data.prefix(header.count)), header)
        XCTAssertEqual(Array(data.suffix(6)), [0, 1, 2, 253, 254, 255])
        XCTAssertThrowsError(try PGMWriter.encode(width: 3, height: 2, pixels: [0]))
        // The reproduction: a header size whose product overflows trapped; now an error.
        XCTAssertThrowsError(try PGMWriter.encode(width: Int.max / 2, height: 3, pixels: [0])) {
            XCTAssertTrue("\($0)".contains("overflows"), "\($0)")
        }
    }
}
