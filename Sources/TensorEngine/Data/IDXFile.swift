import CZlib
import Foundation

/// One IDX file, the format MNIST and Fashion-MNIST are distributed in: a big-endian
/// header (magic number `0x0000TTRR`, element type `TT`, rank `RR`, then one UInt32 per
/// dimension) followed by the elements in row-major order.
///
/// Only unsigned-byte elements (type `0x08`) are read: labels are `0x00000801` (rank 1),
/// images `0x00000803` (rank 3). The file may be gzipped or not; zlib tells them apart.
/// Every error names the file, and a file of the wrong length says how long it should be:
/// `train-images-idx3-ubyte.gz: expected 47040016 bytes (60000 × 28 × 28 images + 16-byte header), got 1200`.
public struct IDXFile: Sendable {
    /// The file name, used in messages (`t10k-labels-idx1-ubyte.gz`).
    public let name: String
    /// The size of each dimension, from the header: `[60000, 28, 28]`.
    public let dimensions: [Int]
    /// The elements, row-major, exactly `dimensions.reduce(1, *)` of them.
    public let bytes: [UInt8]

    /// The element type code for unsigned bytes, the only one MNIST-style files use.
    public static let unsignedByteType: UInt8 = 0x08

    /// The magic number of an unsigned-byte IDX file of `rank` dimensions
    /// (`0x00000801` for labels, `0x00000803` for images).
    public static func magicNumber(rank: Int) -> UInt32 {
        UInt32(unsignedByteType) << 8 | UInt32(rank & 0xFF)
    }

    /// Reads and validates the file at `path`, gzipped or raw.
    /// - Parameter rank: the number of dimensions the caller expects (1 for labels, 3 for
    ///   images); nil accepts any rank from 1 to 4.
    public init(contentsOf path: String, rank: Int? = nil) throws {
        let name = (path as NSString).lastPathComponent
        guard let file = gzopen(path, "rb") else {
            let reason = String(cString: strerror(errno))
            throw TensorError("\(name): cannot open \(path): \(reason)")
        }
        defer { gzclose(file) }
        gzbuffer(file, 1 << 20)
        var source = GzipSource(file: file, name: name)
        try self.init(name: name, source: &source, rank: rank)
    }

    /// Parses an IDX file already in memory (not compressed).
    public init(name: String, contents: [UInt8], rank: Int? = nil) throws {
        var source = MemorySource(bytes: contents)
        try self.init(name: name, source: &source, rank: rank)
    }

    private init<Source: IDXByteSource>(name: String, source: inout Source, rank expectedRank: Int?) throws {
        self.name = name
        let magicBytes = try source.read(count: 4)
        guard magicBytes.count == 4 else {
            throw TensorError("\(name): expected an IDX header of at least 4 bytes, got \(magicBytes.count)"
                + source.truncationNote)
        }
        let magic = magicBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let rank = Int(magicBytes[3])
        if let expectedRank {
            let expected = IDXFile.magicNumber(rank: expectedRank)
            guard magic == expected else {
                throw TensorError("\(name): bad magic number \(hex(magic)), expected \(hex(expected)) "
                    + "(unsigned-byte \(expectedRank == 1 ? "labels" : expectedRank == 3 ? "images" : "data") "
                    + "of \(expectedRank) dimension\(expectedRank == 1 ? "" : "s"))",
                    suggestion: magic == IDXFile.magicNumber(rank: expectedRank == 1 ? 3 : 1)
                        ? "the images and labels files look swapped" : nil)
            }
        } else {
            guard magicBytes[0] == 0, magicBytes[1] == 0, magicBytes[2] == IDXFile.unsignedByteType,
                  (1...4).contains(rank) else {
                throw TensorError("\(name): bad magic number \(hex(magic)), expected 0x000008RR "
                    + "(unsigned bytes, RR = 1 to 4 dimensions)")
            }
        }

        let headerLength = 4 + 4 * rank
        let dimensionBytes = try source.read(count: 4 * rank)
        guard dimensionBytes.count == 4 * rank else {
            throw TensorError("\(name): expected a \(headerLength)-byte header, got \(4 + dimensionBytes.count) bytes"
                + source.truncationNote)
        }
        var dimensions: [Int] = []
        for axis in 0..<rank {
            let word = dimensionBytes[(4 * axis)..<(4 * axis + 4)].reduce(0) { $0 << 8 | Int($1) }
            dimensions.append(word)
        }
        self.dimensions = dimensions

        var elementCount = 1
        for d in dimensions {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: d)
            guard !overflow, product <= EngineLimits.maxAllocationBytes else {
                throw TensorError("\(name): dimensions \(dimensions.map(String.init).joined(separator: " × ")) "
                    + "are too large for an IDX file (the header is probably corrupt)")
            }
            elementCount = product
        }
        let expectation = "expected \(headerLength + elementCount) bytes "
            + "(\(IDXFile.contentDescription(dimensions)) + \(headerLength)-byte header)"

        let payload = try source.read(count: elementCount)
        guard payload.count == elementCount else {
            throw TensorError("\(name): \(expectation), got \(headerLength + payload.count)" + source.truncationNote)
        }
        let extra = try source.countRemaining()
        guard extra == 0 else {
            throw TensorError("\(name): \(expectation), got \(headerLength + elementCount + extra)")
        }
        self.bytes = payload
    }

    /// `60000 × 28 × 28 images`, `60000 labels`: what the header promises, for messages.
    static func contentDescription(_ dimensions: [Int]) -> String {
        let sizes = dimensions.map(String.init).joined(separator: " × ")
        switch dimensions.count {
        case 1: return "\(sizes) labels"
        case 3: return "\(sizes) images"
        default: return "\(sizes) elements"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

/// Where IDX bytes come from: a (possibly gzipped) file or memory.
private protocol IDXByteSource {
    /// Up to `count` bytes; fewer only at the end of the data.
    mutating func read(count: Int) throws -> [UInt8]
    /// How many bytes are left (for files longer than their header says).
    mutating func countRemaining() throws -> Int
    /// Extra words for a length error, e.g. that the gzip stream itself was cut short.
    var truncationNote: String { get }
}

private struct MemorySource: IDXByteSource {
    let bytes: [UInt8]
    var position = 0

    mutating func read(count: Int) throws -> [UInt8] {
        let end = min(bytes.count, position + count)
        defer { position = end }
        return Array(bytes[position..<end])
    }

    mutating func countRemaining() throws -> Int { bytes.count - position }
    var truncationNote: String { "" }
}

private struct GzipSource: IDXByteSource {
    let file: gzFile
    let name: String

    mutating func read(count: Int) throws -> [UInt8] {
        var failure: TensorError?
        let result = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var filled = 0
            while filled < count {
                // gzread takes an unsigned int length: read in chunks well under that.
                let chunk = UInt32(min(count - filled, 1 << 30))
                let got = gzread(file, buffer.baseAddress! + filled, chunk)
                if got < 0 { failure = error(); break }
                if got == 0 { break }
                filled += Int(got)
            }
            initialized = filled
        }
        if let failure { throw failure }
        return result
    }

    mutating func countRemaining() throws -> Int {
        var total = 0
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = scratch.withUnsafeMutableBytes { gzread(file, $0.baseAddress!, UInt32($0.count)) }
            if got < 0 { throw error() }
            if got == 0 { return total }
            total += Int(got)
        }
    }

    /// zlib reports a gzip stream cut short as Z_BUF_ERROR ("unexpected end of file").
    var truncationNote: String {
        var code: Int32 = 0
        _ = gzerror(file, &code)
        return code == Z_BUF_ERROR ? " (the gzip stream ends early)" : ""
    }

    private func error() -> TensorError {
        var code: Int32 = 0
        var message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
        // zlib puts the path in front of its message; the file name already leads ours.
        if let colon = message.range(of: ": "), message[..<colon.lowerBound].hasSuffix(name) {
            message = String(message[colon.upperBound...])
        }
        return TensorError("\(name): cannot decompress: \(message)")
    }
}
