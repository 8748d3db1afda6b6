import Foundation
import LessonScript
import TensorEngine

/// What runs a lesson's cells: one instance per lesson, cells in order, sharing globals.
/// `InterpreterEngine` (LessonScript's `Interpreter`) is the real one; tests use small fakes
/// to exercise timeouts, failures and ordering without the language.
public protocol CellEngine: AnyObject {
    /// Runs one cell; printed text and rich outputs go to the engine's host as they happen.
    func run(cell source: String, file: String, firstLine: Int) throws
    /// How an error thrown by `run` reads.
    func describe(_ error: Error) -> CellErrorText
}

/// The two forms of a cell's error.
public struct CellErrorText: Equatable {
    /// The full diagnostic for the terminal and the page: `file:line:col: error: …`, the
    /// source line, a caret, the suggestion, the call chain.
    public var full: String
    /// The form recorded as an `expect-error` cell's output: `error: message` (and the
    /// suggestion), without the file path, so it compares equal wherever the lesson lives
    /// (the rendered copy in `output/` included).
    public var output: String
    public init(full: String, output: String) { self.full = full; self.output = output }
}

/// An engine whose state between cells can be saved and restored (see `CellCache`).
public protocol SnapshottingEngine: CellEngine {
    /// The state now, as an archive plus the large tensors it names. Throws
    /// `SnapshotUnsupported` when the state cannot be saved.
    func snapshot(header: String) throws -> (archive: [UInt8], blobs: [String: Tensor])
    /// Restores a snapshot into this engine, which has run no cell. `cells` are the cells
    /// that ran before the snapshot was taken, as the lesson has them now. On error the
    /// engine must be discarded.
    func restore(_ archive: [UInt8], header: String, cells: [SnapshotCell], blobSource: @escaping (String) -> [UInt8]?) throws
}
