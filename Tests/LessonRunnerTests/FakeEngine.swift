import Foundation
import LessonScript
import TensorEngine
@testable import LessonRunner

/// A tiny stand-in for the interpreter, so the executor's rules (order, failures, timeouts,
/// expect-error, seeding) are tested on their own. One command per line:
/// `print TEXT`, `fail MESSAGE`, `loop` (spins, checking for cancellation), `random`
/// (prints the engine generator's next number), `image`, `table`, `plot`, `value TEXT`, `bigvalue BYTES`,
/// `set NAME` / `get NAME` (a global shared between cells), `sleep SECONDS`, `failif PATH`
/// (fails when the file exists: a failure the cache key cannot foresee).
final class FakeEngine: CellEngine {
    struct Failure: Error { var message: String; var line: Int }
    let host: ScriptHost
    var globals: Set<String> = []
    static var instances = 0

    init(host: ScriptHost) { self.host = host; FakeEngine.instances += 1 }

    func run(cell source: String, file: String, firstLine: Int) throws {
        for (offset, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = line.split(separator: " ", maxSplits: 1)
            let argument = parts.count > 1 ? String(parts[1]) : ""
            switch parts.first.map(String.init) ?? "" {
            case "print": host.write(argument + "\n")
            case "write": host.write(argument)
            case "fail": throw Failure(message: argument, line: firstLine + offset)
            case "loop": while true { try host.checkCancellation() }
            case "random": host.write("\(RandomGenerator.global.nextUInt64() % 1000)\n")
            case "image":
                host.display(.image(OutputImage(title: argument, pixels: try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5]))))
            case "table": host.display(.table(OutputTable(headers: ["Layer", "Params"], rows: [["conv", "156"], ["fc", "1,200"]])))
            case "plot": host.display(.plot(OutputPlot(title: argument, series: [.init(name: "loss", x: [1, 2, 3], y: [3, 2, 1])])))
            case "value": host.display(.value(argument))
            case "bigvalue": host.display(.value(String(repeating: "7", count: Int(argument) ?? 0)))
            case "sleep": Thread.sleep(forTimeInterval: Double(argument) ?? 0)
            case "failif":
                if FileManager.default.fileExists(atPath: argument) { throw Failure(message: "\(argument) exists", line: firstLine + offset) }
            case "set": globals.insert(argument)
            case "get":
                guard globals.contains(argument) else { throw Failure(message: "cannot find '\(argument)' in scope", line: firstLine + offset) }
                host.write("\(argument) is set\n")
            default: break
            }
        }
    }

    func describe(_ error: Error) -> CellErrorText {
        guard let failure = error as? Failure else { return CellErrorText(full: "error: \(error)", output: "error: \(error)") }
        return CellErrorText(full: "lesson.md:\(failure.line):1: error: \(failure.message)", output: "error: \(failure.message)")
    }
}

extension LessonExecutor {
    static func fake() -> LessonExecutor {
        LessonExecutor(host: RecordingHost(showsProgress: false), engine: { FakeEngine(host: $0) })
    }

    static func fake(cache: CellCache) -> LessonExecutor {
        LessonExecutor(host: RecordingHost(showsProgress: false), engine: { FakeEngine(host: $0) }, cache: cache)
    }
}
