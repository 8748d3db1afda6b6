import Foundation
import LessonScript
import TensorEngine

/// Runs cells with LessonScript's `Interpreter`, one per lesson, and saves and restores its
/// state between cells through a `SnapshotRecorder`.
public final class InterpreterEngine: SnapshottingEngine {
    private let interpreter: Interpreter
    private let recorder: SnapshotRecorder

    public init(host: ScriptHost, library: BuiltinLibrary = .standard()) {
        interpreter = Interpreter(host: host, library: library)
        recorder = SnapshotRecorder(interpreter: interpreter)
    }

    public func run(cell source: String, file: String, firstLine: Int) throws {
        if Self.testTrapsEnabled, source.contains(Self.testTrapMarker) { Self.trapForTests() }
        // Recorded also when the cell fails: its declarations may have run.
        defer { recorder.didRun(SnapshotCell(source: source, file: file, firstLine: firstLine)) }
        try interpreter.run(cell: source, file: file, firstLine: firstLine)
    }

    public func snapshot(header: String) throws -> (archive: [UInt8], blobs: [String: Tensor]) {
        try recorder.snapshot(header: header)
    }

    public func restore(_ archive: [UInt8], header: String, cells: [SnapshotCell], blobSource: @escaping (String) -> [UInt8]?) throws {
        try recorder.restore(archive, header: header, cells: cells, blobSource: blobSource)
    }

    /// For the tests of crash isolation only: with `LESSONBOOK_TEST_TRAP=1` in the
    /// environment, a cell containing this comment ends the process with a Swift runtime trap,
    /// as a bug in a built-in would. Never set by lessonbook itself.
    static let testTrapMarker = "// lessonbook-test: trap"
    static let testTrapsEnabled = ProcessInfo.processInfo.environment["LESSONBOOK_TEST_TRAP"] == "1"

    private static func trapForTests() -> Never {
        var values: [Int] = []
        values.removeLast() // a genuine runtime trap (SIGILL/SIGTRAP), not a thrown error
        fatalError("unreachable")
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
