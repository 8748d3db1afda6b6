import Foundation
import LessonScript

struct InterpResult: Encodable {
    var name: String
    var seconds: Double
}

/// LessonScript speed: a tight integer loop and a hand-written cross-correlation, each run
/// as one lesson cell through the interpreter.
struct InterpBenchmark {
    /// Collects what the cells print, to check their results.
    final class CapturingHost: ScriptHost {
        var printed = ""
        func write(_ text: String) { printed += text }
        func display(_ output: RichOutput) {}
    }

    static let programs: [(name: String, source: String, expected: String)] = [
        ("for loop, 10M iterations of s += i", """
        var s = 0
        for i in 0..<10_000_000 {
            s += i
        }
        print(s)
        """, "49999995000000"),
        ("corr2d 100×100 by hand (loops and slices)", """
        func corr2d(_ X: Tensor, _ K: Tensor) -> Tensor {
            let h = K.shape[0]
            let w = K.shape[1]
            var Y = zeros(X.shape[0] - h + 1, X.shape[1] - w + 1)
            for i in 0..<Y.shape[0] {
                for j in 0..<Y.shape[1] {
                    Y[i, j] = (X[i..<i + h, j..<j + w] * K).sum()
                }
            }
            return Y
        }
        let X = ones(100, 100)
        let K = ones(2, 2)
        print(corr2d(X, K).sum())
        """, "39204"),
    ]

    func run() throws -> [InterpResult] {
        var results: [InterpResult] = []
        for program in InterpBenchmark.programs {
            progress("interp: \(program.name)")
            let host = CapturingHost()
            let interpreter = Interpreter(host: host)
            let (_, seconds) = try timed { try interpreter.run(cell: program.source, file: "bench.md", firstLine: 1) }
            let output = host.printed.trimmingCharacters(in: .whitespacesAndNewlines)
            // The loop prints an Int; the corr2d sum prints as a tensor, so look for the number.
            if !output.contains(program.expected) {
                throw BenchError("interp: \(program.name) printed \(output), expected \(program.expected)")
            }
            results.append(InterpResult(name: program.name, seconds: rounded(seconds, 4)))
        }
        return results
    }

    static func table(_ rows: [InterpResult]) -> String {
        var table = TextTable(title: "LessonScript interpreter", headers: ["program", "seconds"])
        for r in rows { table.rows.append([r.name, format(r.seconds, 4)]) }
        return table.rendered
    }
}

/// A benchmark whose program did not give the expected result.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
