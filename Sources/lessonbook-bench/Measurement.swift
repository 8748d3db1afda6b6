import Foundation
import TensorEngine

/// Runs `body` `warmup` times untimed, then `runs` times, and returns the median in milliseconds.
func medianMilliseconds(runs: Int, warmup: Int, _ body: () throws -> Void) throws -> Double {
    for _ in 0..<warmup { try body() }
    var times: [Double] = []
    times.reserveCapacity(max(runs, 1))
    for _ in 0..<max(runs, 1) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    let mid = times.count / 2
    return times.count % 2 == 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2
}

/// Seconds taken by `body`, with its result.
func timed<R>(_ body: () throws -> R) rethrows -> (result: R, seconds: Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// A tensor of normal deviates from the engine's generator.
func randomTensor(_ shape: [Int], scale: Float = 1) throws -> Tensor {
    let count = shape.reduce(1, *)
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count { values[i] = Float(RandomGenerator.global.nextNormal()) * scale }
    return try Tensor(shape: shape, scalars: values)
}

/// A progress line on stderr (never mixed into the table or the JSON).
func progress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Rounds for display and JSON: enough digits to compare, no float noise.
func rounded(_ value: Double, _ digits: Int = 3) -> Double {
    let scale = Foundation.pow(10, Double(digits))
    return (value * scale).rounded() / scale
}

/// A plain-text table with right-aligned numeric columns.
struct TextTable {
    var title: String
    var headers: [String]
    var rows: [[String]] = []

    var rendered: String {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([title, line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

/// Everything the bench can report; absent parts are left out of the JSON.
struct BenchReport: Encodable {
    var conv: [ConvResult]?
    var pool: [PoolResult]?
    var sgemm: SgemmResult?
    var models: [ModelResult]?
    var train: TrainResult?
    var interp: [InterpResult]?
}

func printJSON(_ report: BenchReport) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
}
