import Foundation
import XCTest
import LessonScript
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import LessonRunner
@testable import LessonScript

final class SVGPlotTests: XCTestCase {
    func parse(_ svg: String) throws -> XMLElement {
        let document = try XMLDocument(xmlString: svg, options: [])
        return try XCTUnwrap(document.rootElement())
    }

    /// An attribute's value (looked up by hand: FoundationXML misses some under a default namespace).
    func attr(_ e: XMLElement, _ name: String) -> String? {
        (e.attributes ?? []).first { ($0.localName ?? $0.name) == name || $0.name == name }?.stringValue
    }

    func elements(_ root: XMLElement, _ name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        func walk(_ e: XMLElement) {
            if e.name == name { found.append(e) }
            for child in e.children ?? [] { if let c = child as? XMLElement { walk(c) } }
        }
        walk(root)
        return found
    }

    func testSingleSeriesIsWellFormedScalableAndHasNoLegend() throws {
        let plot = OutputPlot(title: "loss", xLabel: "step", yLabel: "loss",
                              series: [.init(name: "loss", x: [0, 1, 2, 3], y: [2.3, 1.1, 0.7, 0.5])])
        let svg = SVGPlot.render(plot)
        let root = try parse(svg)
        XCTAssertEqual(root.name, "svg")
        XCTAssertEqual(attr(root, "viewBox"), "0 0 640 380")
        XCTAssertEqual(elements(root, "path").count, 1)
        XCTAssertEqual(elements(root, "circle").count, 4)
        let texts = elements(root, "text").compactMap(\.stringValue)
        XCTAssertTrue(texts.contains("loss"))
        XCTAssertTrue(texts.contains("step"))
        XCTAssertTrue(texts.contains("0.5") && texts.contains("2.5") && !texts.contains("0.0"), "y ticks: \(texts)")
        XCTAssertTrue(elements(root, "g").allSatisfy { attr($0, "class") != "lb-plot-legend" })
        XCTAssertFalse(svg.contains(" id="), "inline SVGs must not define ids")
    }

    func testSeveralSeriesGetALegendAndTextIsEscaped() throws {
        let plot = OutputPlot(title: "<b>train & test</b>", series: [
            .init(name: "train <loss>", x: [0, 1], y: [1, 0.5]),
            .init(name: "test \"loss\"", x: [0, 1], y: [1.2, 0.8]),
        ])
        let svg = SVGPlot.render(plot)
        XCTAssertFalse(svg.contains("<b>"))
        let root = try parse(svg)
        let legend = elements(root, "g").filter { attr($0, "class") == "lb-plot-legend" }
        XCTAssertEqual(legend.count, 1)
        let names = elements(try XCTUnwrap(legend.first), "text").compactMap(\.stringValue)
        XCTAssertEqual(names, ["train <loss>", "test \"loss\""])
        XCTAssertTrue(elements(root, "text").contains { $0.stringValue == "<b>train & test</b>" })
        // Different colours for the two lines.
        let strokes = Set(elements(root, "path").compactMap { attr($0, "stroke") })
        XCTAssertEqual(strokes.count, 2)
    }

    func testNonFiniteValuesBreakTheLineAndEmptyPlotsSayNoData() throws {
        let plot = OutputPlot(title: "gaps", series: [.init(name: "y", x: [0, 1, 2, 3, 4], y: [1, 2, .nan, 3, 4])])
        let root = try parse(SVGPlot.render(plot))
        let d = try XCTUnwrap(elements(root, "path").first.flatMap { attr($0, "d") })
        XCTAssertEqual(d.filter { $0 == "M" }.count, 2, d)
        XCTAssertFalse(d.lowercased().contains("nan"))

        let empty = try parse(SVGPlot.render(OutputPlot(title: "nothing", series: [])))
        XCTAssertTrue(elements(empty, "text").contains { $0.stringValue == "no data" })
        let flat = try parse(SVGPlot.render(OutputPlot(title: "flat", series: [.init(name: "c", x: [0, 1], y: [3, 3])])))
        XCTAssertFalse(elements(flat, "path").isEmpty)
    }

    func testHugeValuesStillGiveFiniteCoordinates() throws {
        let plot = OutputPlot(title: "overflow", series: [.init(name: "y", x: [0, 1], y: [-Double.greatestFiniteMagnitude, .greatestFiniteMagnitude])])
        let svg = SVGPlot.render(plot)
        XCTAssertFalse(svg.lowercased().contains("nan"))
        XCTAssertFalse(svg.lowercased().contains("inf"))
        XCTAssertNoThrow(try parse(svg))
    }

    func testControlCharactersAreDroppedSoTheFileStaysXML() throws {
        let plot = OutputPlot(title: "bell\u{07}", series: [.init(name: "a\u{00}b", x: [0, 1], y: [0, 1])])
        XCTAssertNoThrow(try parse(SVGPlot.render(plot)))
    }

    /// The x-axis tick labels of a rendered plot (the centred texts of the tick-label group).
    func xTickLabels(_ plot: OutputPlot) throws -> [String] {
        let root = try parse(SVGPlot.render(plot))
        let group = try XCTUnwrap(elements(root, "g").first { attr($0, "class") == "lb-plot-text" })
        return elements(group, "text").filter { attr($0, "text-anchor") == "middle" }.map { $0.stringValue ?? "" }
    }

    func testWholeNumberXValuesGetWholeNumberTicks() throws {
        let losses = OutputPlot(title: "loss", series: [.init(name: "", x: [1, 2, 3], y: [0.9, 0.5, 0.4])])
        XCTAssertEqual(try xTickLabels(losses), ["1", "2", "3"])
        let two = OutputPlot(title: "", series: [.init(name: "", x: [1, 2], y: [0.9, 0.5])])
        XCTAssertEqual(try xTickLabels(two), ["1", "2"])
        let one = OutputPlot(title: "", series: [.init(name: "", x: [4], y: [0.5])])
        XCTAssertEqual(try xTickLabels(one), ["3", "4", "5"])
        // Fractional x values keep fractional ticks.
        let halves = OutputPlot(title: "", series: [.init(name: "", x: [0.5, 1, 1.5], y: [1, 2, 3])])
        XCTAssertEqual(try xTickLabels(halves), ["0.4", "0.6", "0.8", "1.0", "1.2", "1.4", "1.6"])

        let epochs = NiceScale(minimum: 1, maximum: 12, integral: true)
        XCTAssertEqual(epochs.step, 2, "2.5 is not a whole step")
        XCTAssertEqual(epochs.ticks, [0, 2, 4, 6, 8, 10, 12])
        let many = NiceScale(minimum: 0, maximum: 250, integral: true)
        XCTAssertEqual(many.step, 50)
        let wide = NiceScale(minimum: 0, maximum: 110, integral: true)
        XCTAssertEqual(wide.step, 25, "25 is a whole step")
    }

    func testNiceScale() {
        let s = NiceScale(minimum: 0.1, maximum: 2.4)
        XCTAssertEqual(s.step, 0.5)
        XCTAssertEqual(s.ticks, [0, 0.5, 1, 1.5, 2, 2.5])
        XCTAssertEqual(s.ticks.map(s.label), ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])
        let epochs = NiceScale(minimum: 0, maximum: 19)
        XCTAssertEqual(epochs.ticks, [0, 5, 10, 15, 20])
        XCTAssertEqual(epochs.label(5), "5")
        let negative = NiceScale(minimum: -3, maximum: 7)
        XCTAssertEqual(negative.lower, -4)
        XCTAssertEqual(negative.upper, 8)
        XCTAssertTrue(negative.ticks.contains(0))
        let flat = NiceScale(minimum: 5, maximum: 5)
        XCTAssertLessThan(flat.lower, 5)
        XCTAssertGreaterThan(flat.upper, 5)
        let big = NiceScale(minimum: 0, maximum: 3_000_000)
        XCTAssertEqual(big.label(1_000_000), "1e6")
        let quarter = NiceScale(minimum: 0, maximum: 0.12)
        XCTAssertEqual(quarter.step, 0.025)
        XCTAssertEqual(quarter.label(0.025), "0.025")
    }

    /// A tensor diagram: well-formed, one cell per number (padding dashed), the window and the
    /// result outlined, the arithmetic below, every text escaped.
    func testTensorDiagramDrawsGridsWindowPaddingAndResult() throws {
        let diagram = try Lib.correlationDiagram([[[0, 1, 2], [3, 4, 5], [6, 7, 8]]], [[[0, 1], [2, 3]]], at: (1, 0), padding: 1, stride: 1)
        XCTAssertEqual(diagram.caption, "0·0 + 0·1 + 0·2 + 3·3 = 9")
        var titled = diagram
        titled.title = "<script>x</script>"
        let svg = TensorDiagram.render(titled)
        XCTAssertFalse(svg.contains("<script>"))
        let root = try parse(svg)
        let rects = elements(root, "rect")
        // Background, 5×5 padded input, 2×2 kernel, 4×4 output, and three outlines.
        XCTAssertEqual(rects.count, 1 + 25 + 4 + 16 + 3)
        XCTAssertEqual(rects.filter { attr($0, "stroke-dasharray") != nil }.count, 16, "the ring of padding is dashed")
        let outlines = rects.filter { attr($0, "stroke-width") == "2.5" }
        XCTAssertEqual(outlines.map { attr($0, "stroke") }, ["#1f5fa8", "#1f5fa8", "#b35c00"], "window, kernel, result")
        let texts = elements(root, "text").compactMap(\.stringValue)
        XCTAssertTrue(texts.contains("0·0 + 0·1 + 0·2 + 3·3 = 9"))
        XCTAssertTrue(texts.contains("⋆") && texts.contains("="))
        XCTAssertEqual(texts.filter { $0 == "9" }.count, 1, "the output entry")
    }
}
