import CZlib
import Foundation
import XCTest
@testable import TensorEngine

/// Builds IDX files in a temporary folder, raw and gzipped.
private struct IDXFixture {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "lessonbook-data-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// The bytes of an unsigned-byte IDX file; `magic` overrides the header's magic number.
    static func idx(dimensions: [Int], payload: [UInt8], magic: UInt32? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        func word(_ v: UInt32) { bytes += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        word(magic ?? (0x0800 | UInt32(dimensions.count)))
        for d in dimensions { word(UInt32(d)) }
        return bytes + payload
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8], gzip: Bool) throws -> String {
        let path = folder + "/" + name
        if gzip {
            guard let file = gzopen(path, "wb") else { throw TensorError("test: cannot create \(path)") }
            let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
            gzclose(file)
            XCTAssertEqual(Int(written), bytes.count)
        } else {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return path
    }

    /// A Fashion-MNIST-style split of `n` images whose pixel (i, r, c) is (i + r + c) % 256
    /// and whose label is i % 10.
    func writeSplit(_ prefix: String, n: Int, gzip: Bool, size: Int = 28, labelCount: Int? = nil,
                    labels: [UInt8]? = nil) throws {
        var pixels: [UInt8] = []
        for i in 0..<n { for r in 0..<size { for c in 0..<size { pixels.append(UInt8((i + r + c) % 256)) } } }
        let labelValues = labels ?? (0..<(labelCount ?? n)).map { UInt8($0 % 10) }
        let suffix = gzip ? ".gz" : ""
        try write("\(prefix)-images-idx3-ubyte\(suffix)", IDXFixture.idx(dimensions: [n, size, size], payload: pixels), gzip: gzip)
        try write("\(prefix)-labels-idx1-ubyte\(suffix)", IDXFixture.idx(dimensions: [labelValues.count], payload: labelValues), gzip: gzip)
    }
}

private func errorMessage(_ body: () throws -> Void) -> String? {
    do { try body() } catch let error as TensorError { return error.message } catch { return "\(error)" }
    return nil
}

final class IDXFileTests: XCTestCase {
    private var fixture: IDXFixture!
    override func setUpWithError() throws { fixture = try IDXFixture() }
    override func tearDown() { fixture.remove() }

    func testReadsRawAndGzippedFilesAlike() throws {
        let payload: [UInt8] = [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]
        let bytes = IDXFixture.idx(dimensions: [2, 2, 3], payload: payload)
        let raw = try fixture.write("images-idx3-ubyte", bytes, gzip: false)
        let zipped = try fixture.write("images-idx3-ubyte.gz", bytes, gzip: true)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: zipped)).prefix(2), Data([0, 0]),
                          "the fixture should really be gzipped")
        for path in [raw, zipped] {
            let file = try IDXFile(contentsOf: path, rank: 3)
            XCTAssertEqual(file.dimensions, [2, 2, 3])
            XCTAssertEqual(file.bytes, payload)
        }
        let labels = try IDXFile(name: "labels", contents: IDXFixture.idx(dimensions: [4], payload: [9, 0, 0, 3]), rank: 1)
        XCTAssertEqual(labels.dimensions, [4])
        XCTAssertEqual(labels.bytes, [9, 0, 0, 3])
    }

    func testBadMagicNumberIsNamed() throws {
        let labels = IDXFixture.idx(dimensions: [3], payload: [1, 2, 3])
        let path = try fixture.write("t10k-images-idx3-ubyte.gz", labels, gzip: true)
        XCTAssertEqual(errorMessage { _ = try IDXFile(contentsOf: path, rank: 3) },
                       "t10k-images-idx3-ubyte.gz: bad magic number 0x00000801, expected 0x00000803 (unsigned-byte images of 3 dimensions)")
        let junk = IDXFixture.idx(dimensions: [3], payload: [1, 2, 3], magic: 0x1234_5678)
        XCTAssertEqual(errorMessage { _ = try IDXFile(name: "junk", contents: junk) },
                       "junk: bad magic number 0x12345678, expected 0x000008RR (unsigned bytes, RR = 1 to 4 dimensions)")
        // Float elements (type 0x0D) are not unsigned bytes.
        let floats = IDXFixture.idx(dimensions: [1], payload: [0, 0, 0, 0], magic: 0x0D01)
        XCTAssertNotNil(errorMessage { _ = try IDXFile(name: "floats", contents: floats, rank: 1) })
    }

    func testTruncatedFileNamesTheExpectedSize() throws {
        // A header that promises the full training set, followed by far too few pixels.
        let short = IDXFixture.idx(dimensions: [60000, 28, 28], payload: [UInt8](repeating: 7, count: 1200 - 16))
        let path = try fixture.write("train-images-idx3-ubyte.gz", short, gzip: true)
        XCTAssertEqual(errorMessage { _ = try IDXFile(contentsOf: path, rank: 3) },
                       "train-images-idx3-ubyte.gz: expected 47040016 bytes (60000 × 28 × 28 images + 16-byte header), got 1200")
        let labels = IDXFixture.idx(dimensions: [10], payload: [1, 2, 3])
        XCTAssertEqual(errorMessage { _ = try IDXFile(name: "labels", contents: labels, rank: 1) },
                       "labels: expected 18 bytes (10 labels + 8-byte header), got 11")
    }

    func testCutGzipStreamIsReported() throws {
        var pixels = [UInt8](repeating: 0, count: 50 * 28 * 28)
        var generator = RandomGenerator(seed: 3)
        for i in pixels.indices { pixels[i] = UInt8(generator.nextInt(below: 256)) }
        let path = try fixture.write("cut.gz", IDXFixture.idx(dimensions: [50, 28, 28], payload: pixels), gzip: true)
        let compressed = try Data(contentsOf: URL(fileURLWithPath: path))
        try compressed.prefix(compressed.count / 2).write(to: URL(fileURLWithPath: path))
        let message = try XCTUnwrap(errorMessage { _ = try IDXFile(contentsOf: path, rank: 3) })
        XCTAssertTrue(message.hasPrefix("cut.gz: expected 39216 bytes (50 × 28 × 28 images + 16-byte header), got "), message)
        XCTAssertTrue(message.hasSuffix(" (the gzip stream ends early)"), message)

        // Damaged compressed data (not just short) fails zlib's checks.
        var damaged = [UInt8](compressed)
        for i in 20..<70 { damaged[i] = 0 }
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        let corrupt = try XCTUnwrap(errorMessage { _ = try IDXFile(contentsOf: path, rank: 3) })
        XCTAssertTrue(corrupt.hasPrefix("cut.gz: "), corrupt)
        XCTAssertTrue(corrupt.contains("cannot decompress") || corrupt.contains("expected 39216 bytes"), corrupt)
    }

    func testTrailingBytesShortHeaderAndMissingFile() throws {
        let long = IDXFixture.idx(dimensions: [3], payload: [1, 2, 3, 4, 5])
        XCTAssertEqual(errorMessage { _ = try IDXFile(name: "labels", contents: long, rank: 1) },
                       "labels: expected 11 bytes (3 labels + 8-byte header), got 13")
        XCTAssertEqual(errorMessage { _ = try IDXFile(name: "tiny", contents: [0, 0]) },
                       "tiny: expected an IDX header of at least 4 bytes, got 2")
        let headerOnly: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 1]
        XCTAssertEqual(errorMessage { _ = try IDXFile(name: "half", contents: headerOnly, rank: 3) },
                       "half: expected a 16-byte header, got 8 bytes")
        let missing = fixture.folder + "/nothing-here.gz"
        let message = try XCTUnwrap(errorMessage { _ = try IDXFile(contentsOf: missing) })
        XCTAssertTrue(message.hasPrefix("nothing-here.gz: cannot open \(missing)"), message)
    }
}

final class DatasetTests: XCTestCase {
    private var fixture: IDXFixture!
    override func setUpWithError() throws { fixture = try IDXFixture() }
    override func tearDown() { fixture.remove() }

    func testFashionMNISTFromIDXFiles() throws {
        try fixture.writeSplit("train", n: 12, gzip: true)
        try fixture.writeSplit("t10k", n: 5, gzip: false)
        let train = try FashionMNIST(root: fixture.folder, train: true)
        XCTAssertEqual(train.count, 12)
        XCTAssertEqual(train.images.shape, [12, 1, 28, 28])
        XCTAssertEqual(train.labels.shape, [12])
        XCTAssertEqual(train.labels.dtype, .int64)
        XCTAssertEqual(train.labels.scalars, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
        let (image, label) = try train.sample(at: 3)
        XCTAssertEqual(image.shape, [1, 28, 28])
        XCTAssertEqual(label, 3)
        XCTAssertEqual(image.scalars[0], Float(3) / 255)
        XCTAssertEqual(image.scalars[28 * 2 + 5], Float(3 + 2 + 5) / 255)
        XCTAssertEqual(train.classes[9], "Ankle boot")
        XCTAssertEqual(train.className(0), "T-shirt/top")
        XCTAssertEqual(try train.sample(at: -1).label, 1)
        XCTAssertEqual(errorMessage { _ = try train.sample(at: 12) }, "FashionMNIST: index 12 is out of range for 12 samples")
        XCTAssertTrue(train.description.contains("Number of datapoints: 12"))

        let test = try FashionMNIST(.test, root: fixture.folder)
        XCTAssertEqual(test.count, 5)
        XCTAssertEqual(test.split, .test)
        let digits = try MNIST(root: fixture.folder, train: false)
        XCTAssertEqual(digits.count, 5)
        XCTAssertEqual(digits.classes[7], "7 - seven")
    }

    func testInconsistentFilesAreRejected() throws {
        try fixture.writeSplit("train", n: 3, gzip: true, size: 32)
        XCTAssertEqual(errorMessage { _ = try FashionMNIST(root: fixture.folder, train: true) },
                       "train-images-idx3-ubyte.gz: expected 28 × 28 images, got 32 × 32")
        try fixture.writeSplit("train", n: 3, gzip: true, labelCount: 2)
        XCTAssertEqual(errorMessage { _ = try FashionMNIST(root: fixture.folder, train: true) },
                       "FashionMNIST: train-images-idx3-ubyte.gz holds 3 images but train-labels-idx1-ubyte.gz holds 2 labels")
        try fixture.writeSplit("train", n: 3, gzip: true, labels: [1, 12, 2])
        XCTAssertEqual(errorMessage { _ = try FashionMNIST(root: fixture.folder, train: true) },
                       "train-labels-idx1-ubyte.gz: label 12 at index 1 is outside 0..<10")
        let message = try XCTUnwrap(errorMessage { _ = try MNIST(root: fixture.folder, train: false) })
        XCTAssertEqual(message, "MNIST: cannot find t10k-images-idx3-ubyte.gz (or t10k-images-idx3-ubyte) in \(fixture.folder)")
    }

    func testTensorDatasetAndSubset() throws {
        let inputs = try Tensor(shape: [4, 2], scalars: [0, 1, 10, 11, 20, 21, 30, 31])
        let labels = try Tensor(shape: [4], scalars: [1, 0, 1, 2])
        let data = try TensorDataset(inputs: inputs, labels: labels, classes: ["a", "b", "c"])
        let batch = try data.batch(at: [3, 0, 1])
        XCTAssertEqual(batch.inputs.shape, [3, 2])
        XCTAssertEqual(batch.inputs.scalars, [30, 31, 0, 1, 10, 11])
        XCTAssertEqual(batch.labels.scalars, [2, 1, 0])
        XCTAssertEqual(batch.labels.dtype, .int64)

        let part = try data.subset(1..<3)
        XCTAssertEqual(part.count, 2)
        XCTAssertEqual(try part.sample(at: 0).input.scalars, [10, 11])
        XCTAssertEqual(try part.batch(at: [1, 0]).labels.scalars, [1, 0])
        XCTAssertEqual(part.classes, ["a", "b", "c"])
        XCTAssertEqual(errorMessage { _ = try data.subset(2..<5) },
                       "subset: range 2..<5 is out of bounds for a dataset of 4 samples")
        XCTAssertEqual(errorMessage { _ = try TensorDataset(inputs: inputs, labels: try Tensor(shape: [3], scalars: [0, 1, 2])) },
                       "TensorDataset: expected labels of shape [4] for inputs of shape [4, 2], got [3]")
        XCTAssertEqual(errorMessage { _ = try TensorDataset(inputs: inputs, labels: labels, classes: ["a", "b"]) },
                       "TensorDataset: label 2.0 at index 3 is not a class index in 0..<2")
    }

    func testGeneralDatasetGathersSamples() throws {
        struct Squares: Dataset {
            var count: Int { 5 }
            func sample(at index: Int) throws -> (input: Tensor, label: Int) {
                (try Tensor(shape: [1, 2], scalars: [Float(index), Float(index * index)]), index % 2)
            }
        }
        let loader = try DataLoader(Squares(), batchSize: 2)
        let batches = Array(loader)
        XCTAssertEqual(batches.map(\.inputs.shape), [[2, 1, 2], [2, 1, 2], [1, 1, 2]])
        XCTAssertEqual(batches[1].inputs.scalars, [2, 4, 3, 9])
        XCTAssertEqual(batches[2].labels.scalars, [0])
    }
}

final class DataLoaderTests: XCTestCase {
    private func numbered(_ n: Int) throws -> TensorDataset {
        let inputs = try Tensor(shape: [n, 1, 2, 2], scalars: (0..<(n * 4)).map { Float($0 / 4) })
        let labels = try Tensor(shape: [n], scalars: (0..<n).map { Float($0 % 10) })
        return try TensorDataset(inputs: inputs, labels: labels)
    }

    func testBatchShapesAndDropLast() throws {
        let data = try numbered(10)
        let loader = try DataLoader(data, batchSize: 4)
        XCTAssertEqual(loader.count, 3)
        let batches = Array(loader)
        XCTAssertEqual(batches.map(\.inputs.shape), [[4, 1, 2, 2], [4, 1, 2, 2], [2, 1, 2, 2]])
        XCTAssertEqual(batches.map(\.labels.shape), [[4], [4], [2]])
        XCTAssertEqual(batches[2].labels.scalars, [8, 9])
        XCTAssertEqual(batches[1].inputs.scalars, (16..<32).map { Float($0 / 4) })

        let dropping = try DataLoader(data, batchSize: 4, dropLast: true)
        XCTAssertEqual(dropping.count, 2)
        XCTAssertEqual(Array(dropping).map(\.inputs.shape), [[4, 1, 2, 2], [4, 1, 2, 2]])
        XCTAssertEqual(try DataLoader(data, batchSize: 20, dropLast: true).count, 0)
        XCTAssertEqual(Array(try DataLoader(data, batchSize: 20)).map(\.labels.shape), [[10]])
        XCTAssertEqual(errorMessage { _ = try DataLoader(data, batchSize: 0) },
                       "DataLoader: batchSize should be a positive integer, got 0")
    }

    func testShuffleIsASeededPermutationPerEpoch() throws {
        let data = try numbered(50)
        let loader = try DataLoader(data, batchSize: 8, shuffle: true)
        func epochOrder() -> [Int] {
            // Each sample's input holds its own index, so the batches reveal the order.
            loader.flatMap { batch in stride(from: 0, to: batch.inputs.count, by: 4).map { Int(batch.inputs.scalars[$0]) } }
        }
        manualSeed(7)
        let first = epochOrder(), second = epochOrder()
        manualSeed(7)
        XCTAssertEqual(epochOrder(), first, "the same seed gives the same order")
        XCTAssertEqual(first.sorted(), Array(0..<50), "an epoch visits every sample once")
        XCTAssertNotEqual(first, Array(0..<50))
        XCTAssertNotEqual(first, second, "each epoch draws a new permutation")

        // Labels travel with their images.
        manualSeed(7)
        for batch in loader {
            for row in 0..<batch.labels.count {
                XCTAssertEqual(batch.labels.scalars[row], Float(Int(batch.inputs.scalars[row * 4]) % 10))
            }
        }
        var iterator = try DataLoader(data, batchSize: 8).makeIterator()
        XCTAssertEqual(iterator.order, Array(0..<50), "without shuffle the order is the dataset's")
        XCTAssertEqual(try iterator.nextBatch()?.inputs.shape, [8, 1, 2, 2])
    }

    func testLoadErrorsEndTheEpochAndAreKept() throws {
        struct Failing: Dataset {
            var count: Int { 6 }
            func sample(at index: Int) throws -> (input: Tensor, label: Int) {
                if index == 4 { throw TensorError("broken sample \(index)") }
                return (try Tensor.zeros([2]), 0)
            }
        }
        let loader = try DataLoader(Failing(), batchSize: 2)
        var iterator = loader.makeIterator()
        var seen = 0
        while iterator.next() != nil { seen += 1 }
        XCTAssertEqual(seen, 2)
        XCTAssertEqual((iterator.error as? TensorError)?.message, "broken sample 4")
        var throwing = loader.makeIterator()
        _ = try throwing.nextBatch(); _ = try throwing.nextBatch()
        XCTAssertThrowsError(try throwing.nextBatch())
    }
}

final class NormalizationTests: XCTestCase {
    func testNormalizeTensorPerChannel() throws {
        let x = try Tensor(shape: [2, 2, 1, 2], scalars: [1, 3, 10, 20, 5, 7, 30, 40])
        let y = try x.normalized(mean: [2, 20], std: [2, 10])
        XCTAssertEqual(y.scalars, [-0.5, 0.5, -1, 0, 1.5, 2.5, 1, 2])
        let sample = try Tensor(shape: [2, 1, 2], scalars: [1, 3, 10, 20]).normalized(mean: [2, 20], std: [2, 10])
        XCTAssertEqual(sample.scalars, [-0.5, 0.5, -1, 0])
        XCTAssertEqual(try x.normalized(mean: 1, std: 2).scalars, [0, 1, 4.5, 9.5, 2, 3, 14.5, 19.5])
        XCTAssertEqual(errorMessage { _ = try x.normalized(mean: [0, 0, 0], std: [1, 1, 1]) },
                       "normalize: 3 means for 2 channels (dimension 1 of [2, 2, 1, 2])")
        XCTAssertEqual(errorMessage { _ = try x.normalized(mean: [0], std: [0]) },
                       "normalize: standard deviation must be positive, got 0.0")
        XCTAssertEqual(try Tensor(metaShape: [8, 3, 4, 4]).normalized(mean: [0, 0, 0], std: [1, 2, 3]).shape, [8, 3, 4, 4])
        try assertGradientsMatch([x]) { try $0[0].normalized(mean: [2, 20], std: [2, 10]) }
    }

    func testNormalizeDatasets() throws {
        let inputs = try Tensor(shape: [3, 1, 1, 2], scalars: [0, 1, 0.5, 0.5, 1, 0])
        let data = try TensorDataset(inputs: inputs, labels: try Tensor(shape: [3], scalars: [0, 1, 2]))
        let stored = try data.normalized(mean: [0.5], std: [0.5])
        XCTAssertEqual(stored.inputs.scalars, [-1, 1, 0, 0, 1, -1])
        let lazy = try data.subset(0..<3).normalized(mean: [0.5], std: [0.5])
        XCTAssertEqual(try lazy.sample(at: 2).input.scalars, [1, -1])
        XCTAssertEqual(try lazy.batch(at: [0, 1]).inputs.scalars, [-1, 1, 0, 0])
        XCTAssertEqual(data.inputs.scalars, [0, 1, 0.5, 0.5, 1, 0], "normalized returns a copy")
    }
}

/// The real Fashion-MNIST from the Debian package, when installed.
final class FashionMNISTFileTests: XCTestCase {
    func testRealFashionMNIST() throws {
        let root = FashionMNIST.defaultRoot
        guard FileManager.default.fileExists(atPath: root + "/t10k-images-idx3-ubyte.gz") else {
            throw XCTSkip("Fashion-MNIST is not installed in \(root)")
        }
        let test = try FashionMNIST(.test)
        XCTAssertEqual(test.count, 10000)
        let (image, label) = try test.sample(at: 0)
        XCTAssertEqual(label, 9)
        XCTAssertEqual(test.className(label), "Ankle boot")
        XCTAssertEqual(image.shape, [1, 28, 28])
        let pixels = test.images.scalars
        XCTAssertEqual(pixels.min(), 0)
        XCTAssertEqual(pixels.max(), 1)

        let train = try FashionMNIST(root: root, train: true)
        XCTAssertEqual(train.count, 60000)
        var sum = 0.0, sumSquares = 0.0
        train.images.withUnsafeBufferPointer { values in
            for v in values { sum += Double(v); sumSquares += Double(v) * Double(v) }
        }
        let n = Double(train.images.count)
        let mean = sum / n
        let std = (sumSquares / n - mean * mean).squareRoot()
        XCTAssertEqual(mean, 0.2860, accuracy: 5e-4)
        XCTAssertEqual(std, 0.3530, accuracy: 5e-4)

        let loader = try DataLoader(train.normalized(mean: [0.2860], std: [0.3530]), batchSize: 64, shuffle: true)
        XCTAssertEqual(loader.count, 938)
    }
}
