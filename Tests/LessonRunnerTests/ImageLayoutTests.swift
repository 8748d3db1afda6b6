import Foundation
import XCTest
import LessonScript
import TensorEngine
@testable import LessonRunner

final class ImageLayoutTests: XCTestCase {
    func testSingleMapIsMinMaxScaled() throws {
        let image = try ImageLayout.layout(Tensor(shape: [1, 3], scalars: [-2, 3, 8]))
        XCTAssertEqual(image.width, 3)
        XCTAssertEqual(image.height, 1)
        XCTAssertEqual(image.pixels, [0, 128, 255])
        XCTAssertEqual(image.mapCount, 1)
        XCTAssertEqual(image.sizeDescription, "1×3")
    }

    func testConstantMapIsMidGrayAndNonFiniteValuesAreClamped() throws {
        XCTAssertEqual(try ImageLayout.layout(Tensor(shape: [2, 2], scalars: [4, 4, 4, 4])).pixels, [128, 128, 128, 128])
        let odd = try ImageLayout.layout(Tensor(shape: [1, 5], scalars: [.nan, 0, 1, .infinity, -.infinity]))
        XCTAssertEqual(odd.pixels, [0, 0, 255, 255, 0])
    }

    func testChannelsShareOneScaleAndAreLaidOutWithGaps() throws {
        // Two 2×2 maps: one scale for both, so 0 is black in each and the weak map stays dark.
        let t = try Tensor(shape: [2, 2, 2], scalars: [0, 1, 2, 3, 0, 100, 200, 300])
        let image = try ImageLayout.layout(t)
        XCTAssertEqual(image.gridRows, 1)
        XCTAssertEqual(image.gridColumns, 2)
        XCTAssertEqual(image.width, 5)
        XCTAssertEqual(image.height, 2)
        XCTAssertEqual(image.pixels, [0, 1, 255, 0, 85,
                                      2, 3, 255, 170, 255])
        XCTAssertEqual(image.valueRange, 0...300)
        XCTAssertEqual(image.rangeDescription, "black 0 … white 300")
        // [1, C, H, W] is the same picture.
        XCTAssertEqual(try ImageLayout.layout(Tensor(shape: [1, 2, 2, 2], scalars: t.scalars)).pixels, image.pixels)
        // An all-zero map among others is drawn as zero (black), not mid-gray.
        let withZeros = try ImageLayout.layout(Tensor(shape: [2, 1, 2], scalars: [0, 0, 0, 4]))
        XCTAssertEqual(withZeros.pixels, [0, 0, 255, 0, 255])
        XCTAssertEqual(try ImageLayout.layout(Tensor(shape: [1, 2], scalars: [-1.5, 2])).rangeDescription, "black −1.5 … white 2")
    }

    /// Signed data: blue below 0, white at 0, red above, symmetric unless vmin/vmax say
    /// otherwise; written as an indexed PNG with the palette.
    func testDivergingColormapAndFixedRange() throws {
        let edges = try Tensor(shape: [1, 3], scalars: [-1, 0, 0.5])
        let laid = try ImageLayout.layout(edges, colormap: .diverging)
        XCTAssertEqual(laid.pixels, [0, 127, 191])
        XCTAssertEqual(laid.rangeDescription, "blue −1 … white 0 … red 1")
        XCTAssertEqual(Array(ImageLayout.divergingPalette[(127 * 3)..<(128 * 3)]), [247, 247, 247], "0 is white")
        let png = try ImageWriter.pngData(OutputImage(title: "e", pixels: edges, colormap: .diverging))
        XCTAssertEqual(png[25], 3, "colour type 3: indexed")
        XCTAssertNotNil(png.range(of: Data("PLTE".utf8)))
        let fixed = try ImageLayout.layout(Tensor(shape: [1, 3], scalars: [0, 5, 20]), vmin: 0, vmax: 10)
        XCTAssertEqual(fixed.pixels, [0, 128, 255], "values past vmax are clamped")
        XCTAssertEqual(fixed.rangeDescription, "black 0 … white 10")
    }

    func testExportedPNGIsEnlargedToAtLeast256PixelsAndPGMStaysNative() throws {
        let laid = try ImageLayout.layout(Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        let big = laid.upscaled(by: 86)
        XCTAssertEqual([big.width, big.height], [258, 172])
        XCTAssertEqual(big.pixels[0], laid.pixels[0])
        XCTAssertEqual(big.pixels[86], laid.pixels[1], "nearest neighbour: whole blocks of one value")
        XCTAssertEqual(big.pixels[258 * 86], laid.pixels[3])
    }

    func testBatchOfChannelsIsOneRowPerSample() throws {
        let t = try Tensor(shape: [3, 2, 4, 4], scalars: (0..<96).map(Float.init))
        let image = try ImageLayout.layout(t)
        XCTAssertEqual(image.gridRows, 3)
        XCTAssertEqual(image.gridColumns, 2)
        XCTAssertEqual(image.width, 2 * 4 + 1)
        XCTAssertEqual(image.height, 3 * 4 + 2)
        XCTAssertEqual(image.mapCount, 6)
        XCTAssertEqual(image.pixels[4], ImageLayout.gapGray, "column gap")
        XCTAssertEqual(image.pixels[4 * 9], ImageLayout.gapGray, "row gap")
    }

    func testGridShapes() {
        XCTAssertEqual(ImageLayout.gridShape(count: 1, mapHeight: 6, mapWidth: 7).columns, 1)
        let eight = ImageLayout.gridShape(count: 8, mapHeight: 6, mapWidth: 7)
        XCTAssertEqual([eight.rows, eight.columns], [2, 4])
        let sixteen = ImageLayout.gridShape(count: 16, mapHeight: 28, mapWidth: 28)
        XCTAssertEqual([sixteen.rows, sixteen.columns], [2, 8])
        for n in 1...64 {
            let g = ImageLayout.gridShape(count: n, mapHeight: 5, mapWidth: 5)
            XCTAssertGreaterThanOrEqual(g.rows * g.columns, n)
            XCTAssertLessThan((g.rows - 1) * g.columns, n, "no empty row for \(n)")
        }
    }

    func testSmallMapsAreDrawnLargerByTheirPage() throws {
        let small = try ImageLayout.layout(Tensor(shape: [6, 8], scalars: (0..<48).map(Float.init)))
        XCTAssertEqual(small.width, 8, "the PNG keeps one pixel per value")
        XCTAssertGreaterThanOrEqual(small.displayScale * small.width, 160)
        let large = try ImageLayout.layout(Tensor.zeros([600, 900]))
        XCTAssertEqual(large.displayScale, 1)
    }

    func testBadShapesThrowWithTheShape() throws {
        XCTAssertThrowsError(try ImageLayout.layout(Tensor(shape: [4], scalars: [1, 2, 3, 4]))) { error in
            XCTAssertTrue("\(error)".contains("[4]"), "\(error)")
        }
        XCTAssertThrowsError(try ImageLayout.layout(Tensor(metaShape: [2, 2])))
        XCTAssertThrowsError(try ImageLayout.layout(Tensor(shape: [0, 3], scalars: [])))
    }

    func testImageWriterWritesPNGAndPGMFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lb-images-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = OutputImage(title: "ramp", pixels: try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))
        let png = folder.appendingPathComponent("lesson/cell-1.png")
        let pgm = folder.appendingPathComponent("lesson/cell-1.pgm")
        try ImageWriter.writePNG(image, to: png)
        try ImageWriter.writePGM(image, to: pgm)
        XCTAssertEqual(Array(try Data(contentsOf: png).prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        // The PNG's IHDR holds width and height: 3×2 enlarged 86 times to reach 256.
        let header = Array(try Data(contentsOf: png)[16..<24])
        XCTAssertEqual(header, [0, 0, 1, 2, 0, 0, 0, 172])
        XCTAssertEqual(Array(try Data(contentsOf: pgm)), Array("P5\n3 2\n255\n".utf8) + [0, 51, 102, 153, 204, 255])
    }
}
