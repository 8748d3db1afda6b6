import Foundation
import LessonScript

/// One thing a cell produced, in order: printed text or a rich output.
public enum CellOutput {
    case text(String)
    case rich(RichOutput)
}

/// How a cell ended.
public enum CellStatus: Equatable {
    /// Ran without error (or, for an `expect-error` cell, failed as expected).
    case succeeded
    /// Raised an error; `message` is the formatted diagnostic (file:line:column, caret).
    case failed(message: String)
    /// Ran longer than its timeout and was stopped.
    case timedOut(seconds: Double)
    /// Marked `skip`, or not reached because an earlier cell failed.
    case notRun(reason: String)
    /// An `expect-error` cell that did not fail.
    case unexpectedSuccess
}

/// The result of running one cell.
public struct CellRun {
    /// The cell's stable name: its `id=` option, or its 1-based number.
    public var id: String
    /// 1-based line of the opening fence in the lesson file.
    public var line: Int
    public var outputs: [CellOutput]
    public var status: CellStatus
    public var seconds: Double
    public init(id: String, line: Int, outputs: [CellOutput], status: CellStatus, seconds: Double) {
        self.id = id; self.line = line; self.outputs = outputs; self.status = status; self.seconds = seconds
    }
}

extension CellStatus {
    /// A cell marked `skip`.
    public static let skipOption = CellStatus.notRun(reason: "skip")
    /// A cell after the one `run --cell` asked for.
    public static let notRequested = CellStatus.notRun(reason: "not requested")
    /// A cell after a failed one.
    public static func stopped(by cellID: String) -> CellStatus { .notRun(reason: "not run: cell \(cellID) failed") }

    /// The one wording of how a cell ended, for the terminal, the check report, JUnit and
    /// annotations; nil for a cell that succeeded.
    public func headline(cellID: String) -> String? {
        switch self {
        case .succeeded: return nil
        case .failed: return "cell \(cellID): failed"
        case .timedOut(let seconds): return "cell \(cellID): timed out: \(CellTimeout(seconds: seconds))"
        case .unexpectedSuccess: return "cell \(cellID): expected an error (expect-error), but the cell ran without one"
        case .notRun(let reason): return "cell \(cellID): \(reason)"
        }
    }

    /// The same ending worded for a reader of the page, who sees no cell numbers: a label and
    /// a sentence; nil for a cell that succeeded. A failure's text is its error message.
    public var readerWording: (label: String, text: String)? {
        switch self {
        case .succeeded: return nil
        case .failed(let message): return ("error", message)
        case .timedOut(let seconds):
            return ("timed out", "The cell was stopped after \(RecordingHost.formatSeconds(seconds)): it ran past its timeout.")
        case .unexpectedSuccess: return ("expected an error", "This cell is marked expect-error, but it ran without an error.")
        case .notRun(let reason):
            if self == .skipOption { return ("not run", "This cell is not run (it is marked skip).") }
            if reason.hasPrefix("not run: ") { return ("not run", "Not run, because an earlier cell failed.") }
            return ("not run", "Not run: \(reason).")
        }
    }

    /// Whether a cell with this status makes its lesson fail.
    public var failsLesson: Bool {
        switch self {
        case .failed, .timedOut, .unexpectedSuccess: return true
        case .succeeded, .notRun: return false
        }
    }
}

/// How a whole lesson ended.
public enum LessonStatus: Equatable {
    case passed
    case failed
    /// A `requires:` entry is missing; nothing ran.
    case skipped(reason: String)

    /// `PASS`, `FAIL` or `SKIP`: the word every command prints before a lesson's path.
    public var word: String {
        switch self {
        case .passed: return "PASS"
        case .failed: return "FAIL"
        case .skipped: return "SKIP"
        }
    }

    /// `requires PATH, which is missing`.
    static func missingRequirementReason(_ path: String) -> String { "requires \(path), which is missing" }
}

/// A lesson after running: what the Markdown and HTML renderers draw. The document is a
/// plain list of blocks: prose as written, and cells with their results.
public struct RenderedLesson {
    public enum Block {
        /// GitHub-flavoured prose, verbatim from the lesson (math included, unprocessed), and
        /// the 1-based line of the lesson it starts on (for messages).
        case prose(String, firstLine: Int = 1)
        /// A code cell: its source, its options (how it is shown) and its run.
        case cell(source: String, options: CellOptions, run: CellRun)
    }
    public var title: String
    /// The lesson's path as given on the command line (for messages and links).
    public var sourcePath: String
    /// The file-name stem used for outputs: `01-cross-correlation`.
    public var slug: String
    public var blocks: [Block]
    public var status: LessonStatus
    public var seconds: Double
    /// The front matter's `description:` (the home page's list of lessons shows it).
    public var description: String?
    public init(title: String, sourcePath: String, slug: String, blocks: [Block], status: LessonStatus, seconds: Double,
                description: String? = nil) {
        self.title = title; self.sourcePath = sourcePath; self.slug = slug; self.blocks = blocks
        self.status = status; self.seconds = seconds; self.description = description
    }
}
