import Foundation
import LessonScript

/// Thrown by `RecordingHost.checkCancellation()` once a cell has run past its deadline.
public struct CellTimeout: Error, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "cell stopped after its timeout of \(RecordingHost.formatSeconds(seconds))" }
}

/// The runner's `ScriptHost`: records a cell's outputs in order, enforces its timeout and
/// shows progress on the terminal.
///
/// - Consecutive printed text is merged into one `.text` output.
/// - Printed text is capped (1 MiB per cell by default); past the cap a single note says
///   the output was truncated, so a runaway loop cannot exhaust memory or the page.
/// - `checkCancellation()` is called on every loop iteration and call, so it must be cheap:
///   it reads the monotonic clock every `clockCheckInterval` calls, an interval that starts
///   at 1 and adapts so that reads are about a millisecond apart (up to 1024 calls): a loop
///   whose body takes 0.1 s is stopped within one iteration of its deadline, not 1024.
/// - Progress goes to stderr, only when stderr is a terminal or `LESSONBOOK_PROGRESS=1`;
///   it never reaches the recorded output.
public final class RecordingHost: ScriptHost {
    /// Most bytes of printed text kept per cell.
    public var printLimit: Int
    /// Whether progress bars and per-cell times are written to stderr.
    public let showsProgress: Bool

    private(set) var outputs: [CellOutput] = []
    private var pendingText = ""
    private var printedBytes = 0
    private var truncated = false
    private var deadline: UInt64 = .max
    private var timeoutSeconds: Double = 0
    private var callsUntilClockCheck = 1
    private var clockCheckInterval = 1
    private var lastClockCheck: UInt64 = 0
    private var progressShown = false

    public init(printLimit: Int = 1 << 20, showsProgress: Bool = RecordingHost.progressEnabled) {
        self.printLimit = printLimit
        self.showsProgress = showsProgress
    }

    /// True when stderr is a terminal, or `LESSONBOOK_PROGRESS=1`.
    public static var progressEnabled: Bool {
        if let flag = ProcessInfo.processInfo.environment["LESSONBOOK_PROGRESS"] { return flag == "1" }
        return isatty(STDERR_FILENO) != 0
    }

    /// Starts recording a cell that may run for `timeout` seconds.
    public func beginCell(timeout: Double) {
        outputs = []
        pendingText = ""
        printedBytes = 0
        truncated = false
        timeoutSeconds = timeout
        let nanos = timeout * 1e9
        lastClockCheck = Self.now()
        deadline = nanos >= Double(UInt64.max / 2) ? .max : lastClockCheck &+ UInt64(nanos)
        callsUntilClockCheck = 1
        clockCheckInterval = 1
    }

    /// Ends the cell and returns what it produced, in order.
    public func endCell() -> [CellOutput] {
        flushText()
        clearProgress()
        deadline = .max
        let result = outputs
        outputs = []
        return result
    }

    /// Adds `text` as printed text on a line of its own (the runner uses it for the error
    /// of an `expect-error` cell). It is not counted against the print limit.
    public func recordLine(_ text: String) {
        let previous = pendingText.isEmpty ? outputs.last.map { output -> String in
            if case .text(let t) = output { return t } else { return "\n" }
        } ?? "" : pendingText
        if !previous.isEmpty, !previous.hasSuffix("\n") { pendingText += "\n" }
        pendingText += text + "\n"
    }

    public func write(_ text: String) {
        guard !truncated else { return }
        let bytes = text.utf8.count
        if printedBytes + bytes > printLimit {
            let room = max(0, printLimit - printedBytes)
            // Cut on a character boundary at or below the limit.
            var kept = ""
            var used = 0
            for character in text {
                let size = character.utf8.count
                if used + size > room { break }
                kept.append(character); used += size
            }
            pendingText += kept
            if !pendingText.hasSuffix("\n") { pendingText += "\n" }
            pendingText += "… output truncated: the cell printed more than \(printLimit / 1024) KiB …\n"
            printedBytes = printLimit
            truncated = true
            return
        }
        printedBytes += bytes
        pendingText += text
    }

    public func display(_ output: RichOutput) {
        flushText()
        outputs.append(.rich(output))
    }

    public func progress(_ label: String, completed: Int, total: Int) {
        guard showsProgress, total > 0 else { return }
        let width = 30
        let done = min(width, max(0, completed * width / total))
        let bar = String(repeating: "#", count: done) + String(repeating: ".", count: width - done)
        Self.writeStderr("\r  \(label) [\(bar)] \(completed)/\(total)\u{1B}[K")
        progressShown = true
        if completed >= total { clearProgress() }
    }

    public func checkCancellation() throws {
        callsUntilClockCheck -= 1
        guard callsUntilClockCheck <= 0 else { return }
        let now = Self.now()
        if now >= deadline { throw CellTimeout(seconds: timeoutSeconds) }
        // Slow calls (more than 2 ms since the last read) shrink the interval, fast ones grow it.
        let elapsed = now &- lastClockCheck
        lastClockCheck = now
        if elapsed > 2_000_000 { clockCheckInterval = max(1, clockCheckInterval / 8) }
        else if elapsed < 500_000 { clockCheckInterval = min(1024, clockCheckInterval * 2) }
        callsUntilClockCheck = clockCheckInterval
    }

    /// Tells the terminal how long a cell took (stderr, only when progress is shown).
    public func reportTiming(cell: String, seconds: Double, file: String) {
        guard showsProgress else { return }
        Self.writeStderr("  \(file): cell \(cell): \(Self.formatSeconds(seconds))\n")
    }

    private func flushText() {
        guard !pendingText.isEmpty else { return }
        outputs.append(.text(pendingText))
        pendingText = ""
    }

    private func clearProgress() {
        guard progressShown else { return }
        Self.writeStderr("\r\u{1B}[K")
        progressShown = false
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func writeStderr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `0.42 s`, `12.3 s`, `2 min 5 s`.
    public static func formatSeconds(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }
}
