import Foundation
import LessonScript

/// Runs cells with LessonScript's `Interpreter`, one per lesson.
public final class InterpreterEngine: CellEngine {
    private let interpreter: Interpreter

    public init(host: ScriptHost, library: BuiltinLibrary = .standard()) {
        interpreter = Interpreter(host: host, library: library)
    }

    public func run(cell source: String, file: String, firstLine: Int) throws {
        try interpreter.run(cell: source, file: file, firstLine: firstLine)
    }

    public func describe(_ error: Error) -> CellErrorText {
        if let diagnostic = error as? ScriptDiagnostic {
            var brief = "error: \(diagnostic.message)"
            if let suggestion = diagnostic.suggestion, !suggestion.isEmpty { brief += "\nsuggestion: \(suggestion)" }
            return CellErrorText(full: diagnostic.description, output: brief)
        }
        return CellErrorText(full: "error: \(error)", output: "error: \(error)")
    }
}
