import Foundation
import LessonScript

/// Thrown by `RecordingHost.checkCancellation()` once a cell has run past its deadline.
public struct CellTimeout: Error, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "cell stopped after its timeout of \(RecordingHost.formatSeconds(seconds))" }
}

/// Thrown by `RecordingHost.checkCancellation()` once `requestStop()` asked the running cell
/// to end (the live preview's Stop).
public struct CellStopped: Error, CustomStringConvertible {
    public var description: String { "The cell was stopped before it finished." }
}

/// The runner's `ScriptHost`: records a cell's outputs in order, enforces its timeout,
/// hands what the cell produces to `live` as it happens and shows progress.
///
/// - Consecutive printed text is merged into one `.text` output.
/// - Everything a cell shows — printed text, its last value, tables, images, plots and
///   diagrams — counts against one cap (1 MiB per cell by default); past the cap a single
///   note says what was cut, so a runaway loop or a huge value cannot exhaust memory, the
///   page or the lesson's output block.
/// - `checkCancellation()` is called on every loop iteration and call, so it must be cheap:
///   it reads the monotonic clock every `clockCheckInterval` calls, an interval that starts
///   at 1 and adapts so that reads are about a millisecond apart (up to 1024 calls): a loop
///   whose body takes 0.1 s is stopped within one iteration of its deadline, not 1024.
/// - Progress goes to stderr and never reaches the recorded output (see `ProgressStyle`).
public final class RecordingHost: ScriptHost {
    /// How a running cell shows that it is alive, on stderr.
    public enum ProgressStyle: Equatable {
        case none
        /// On a terminal: one line, redrawn, with the cell, its elapsed time and the data
        /// loader's batch (`cell 3 · 12 s · batch 312/938`), and each cell's time at its end.
        case statusLine
        /// In a log (CI): a line every so many seconds while a cell runs.
        case heartbeat(every: Double)
    }

    /// Most bytes of printed text kept per cell.
    public var printLimit: Int
    public let progressStyle: ProgressStyle
    /// Whether anything is shown on stderr while cells run.
    public var showsProgress: Bool { progressStyle == .statusLine }
    /// Receives each piece of the running cell's output as it is produced (printed text as
    /// printed, within the cap). The executor sets it per cell.
    public var live: ((CellOutput) -> Void)?
    private let ticker: ProgressTicker

    private(set) var outputs: [CellOutput] = []
    private var pendingText = ""
    private var printedBytes = 0
    private var truncated = false
    private var deadline: UInt64 = .max
    private var timeoutSeconds: Double = 0
    /// Set from another thread by `requestStop()` (the live preview's Stop); read at clock checks.
    private let stopLock = NSLock()
    private var stopRequested = false
    private var callsUntilClockCheck = 1
    private var clockCheckInterval = 1
    private var lastClockCheck: UInt64 = 0

    public init(printLimit: Int = 1 << 20, progress: ProgressStyle = RecordingHost.defaultProgress) {
        self.printLimit = printLimit
        self.progressStyle = progress
        ticker = ProgressTicker(style: progress)
    }

    public convenience init(printLimit: Int = 1 << 20, showsProgress: Bool) {
        self.init(printLimit: printLimit, progress: showsProgress ? .statusLine : .none)
    }

    /// A status line when stderr is a terminal, else a heartbeat every 30 s (or every
    /// `LESSONBOOK_HEARTBEAT` seconds); `LESSONBOOK_PROGRESS=0` turns both off, `=1` forces the
    /// status line.
    public static var defaultProgress: ProgressStyle {
        let environment = ProcessInfo.processInfo.environment
        switch environment["LESSONBOOK_PROGRESS"] {
        case "0": return .none
        case "1": return .statusLine
        default:
            let every = environment["LESSONBOOK_HEARTBEAT"].flatMap(Double.init).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } ?? 30
            return isatty(STDERR_FILENO) != 0 ? .statusLine : .heartbeat(every: every)
        }
    }

    /// Starts recording a cell that may run for `timeout` seconds; `label` names it in progress.
    public func beginCell(timeout: Double, label: String = "cell") {
        ticker.start(label: label)
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
        stopLock.lock(); stopRequested = false; stopLock.unlock()
    }

    /// Ends the running cell at its next clock check (with `CellStopped`).
    public func requestStop() {
        stopLock.lock(); stopRequested = true; stopLock.unlock()
    }

    /// Ends the cell and returns what it produced, in order.
    public func endCell() -> [CellOutput] {
        flushText()
        ticker.stop()
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
        let line = (!previous.isEmpty && !previous.hasSuffix("\n") ? "\n" : "") + text + "\n"
        pendingText += line
        show(.text(line))
    }

    /// Hands output to `live`, clearing the status line first so the two do not mix.
    private func show(_ output: CellOutput) {
        guard let live else { return }
        ticker.clear()
        live(output)
    }

    public func write(_ text: String) {
        guard !truncated else { return }
        let bytes = text.utf8.count
        if printedBytes + bytes > printLimit {
            let kept = Self.prefix(text, bytes: max(0, printLimit - printedBytes))
            if !kept.isEmpty {
                pendingText += kept
                show(.text(kept))
            }
            recordCutNote("the cell printed more than \(printLimit / 1024) KiB")
            return
        }
        printedBytes += bytes
        pendingText += text
        show(.text(text))
    }

    /// Records a rich output against the same cap as printed text (one budget for everything
    /// a cell shows): a value is cut on a character boundary and a table to the rows that fit,
    /// an image, plot or diagram that does not fit is left out; each time with the one note
    /// that says what was cut.
    public func display(_ output: RichOutput) {
        guard !truncated else { return }
        let room = max(0, printLimit - printedBytes)
        var kept: RichOutput? = output
        var cut: String?
        switch output {
        case .value(let text) where text.utf8.count > room:
            let prefix = Self.prefix(text, bytes: room)
            kept = prefix.isEmpty ? nil : .value(prefix)
            cut = "value"
        case .table(var table) where Self.size(of: output) > room:
            var used = Self.size(of: .table(OutputTable(title: table.title, headers: table.headers, rows: [])))
            var rows = 0
            for row in table.rows {
                used += row.reduce(row.count) { $0 + $1.utf8.count }
                if used > room { break }
                rows += 1
            }
            table.rows = Array(table.rows.prefix(rows))
            if let footer = table.footerStart, footer > rows { table.footerStart = nil }
            kept = rows == 0 ? nil : .table(table)
            cut = "table"
        case .image where Self.size(of: output) > room: kept = nil; cut = "image"
        case .plot where Self.size(of: output) > room: kept = nil; cut = "plot"
        case .diagram where Self.size(of: output) > room: kept = nil; cut = "diagram"
        default: break
        }
        if let kept {
            flushText()
            printedBytes += min(room, Self.size(of: kept))
            outputs.append(.rich(kept))
            show(.rich(kept))
        }
        if let cut { recordCutNote("the \(cut) was cut: the cell showed more than \(printLimit / 1024) KiB") }
    }

    /// Ends what the cell shows with a note, once; nothing is recorded after it.
    private func recordCutNote(_ note: String) {
        recordLine("… output truncated: \(note) …")
        printedBytes = printLimit
        truncated = true
    }

    /// Roughly how many bytes a rich output adds to the page and the lesson: the text of a
    /// value, table or diagram; a few bytes per pixel of an image (PNG and PGM) and per point of a plot (SVG).
    static func size(of output: RichOutput) -> Int {
        func text(_ strings: [String]) -> Int { strings.reduce(strings.count) { $0 + $1.utf8.count } }
        switch output {
        case .value(let value): return value.utf8.count
        case .table(let table): return text([table.title ?? ""] + table.headers + table.rows.flatMap { $0 })
        case .image(let image): return image.pixels.count.multipliedReportingOverflow(by: 5).overflow ? .max : image.pixels.count * 5
        case .plot(let plot): return plot.series.reduce(text([plot.title])) { $0 + 32 * $1.x.count + $1.name.utf8.count }
        case .diagram(let diagram):
            return diagram.pieces.reduce(text([diagram.title, diagram.caption])) { total, piece in
                switch piece {
                case .grid(let grid): return total + text([grid.label] + grid.values.flatMap { $0 })
                case .symbol(let symbol): return total + symbol.utf8.count
                }
            }
        }
    }

    /// The longest prefix of `text` of at most `bytes` UTF-8 bytes, cut on a character boundary.
    static func prefix(_ text: String, bytes: Int) -> String {
        var kept = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            if used + size > bytes { break }
            kept.append(character); used += size
        }
        return kept
    }

    public func progress(_ label: String, completed: Int, total: Int) {
        guard total > 0 else { return }
        ticker.progress(label == "DataLoader" ? "batch \(completed)/\(total)" : "\(label) \(completed)/\(total)")
    }

    public func checkCancellation() throws {
        callsUntilClockCheck -= 1
        guard callsUntilClockCheck <= 0 else { return }
        let now = Self.now()
        if now >= deadline { throw CellTimeout(seconds: timeoutSeconds) }
        stopLock.lock(); let stop = stopRequested; stopLock.unlock()
        if stop { throw CellStopped() }
        // Slow calls (more than 2 ms since the last read) shrink the interval, fast ones grow it.
        let elapsed = now &- lastClockCheck
        lastClockCheck = now
        if elapsed > 2_000_000 { clockCheckInterval = max(1, clockCheckInterval / 8) }
        else if elapsed < 500_000 { clockCheckInterval = min(1024, clockCheckInterval * 2) }
        callsUntilClockCheck = clockCheckInterval
    }

    /// Tells the terminal how long a cell took (stderr, only with a status line).
    public func reportTiming(cell: String, seconds: Double, file: String) {
        guard showsProgress else { return }
        Self.writeStderr("  \(file): cell \(cell): \(Self.formatSeconds(seconds))\n")
    }

    private func flushText() {
        guard !pendingText.isEmpty else { return }
        outputs.append(.text(pendingText))
        pendingText = ""
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func writeStderr(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `0.42 s`, `12.3 s`, `2 min 5 s`.
    public static func formatSeconds(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return "\(whole / 60) min \(whole % 60) s"
    }
}

/// Draws the status line or prints the heartbeat of the running cell, from a timer thread.
final class ProgressTicker: @unchecked Sendable {
    private let style: RecordingHost.ProgressStyle
    private let lock = NSLock()
    private var label = ""
    private var detail = ""
    private var started: UInt64 = 0
    private var shown = false
    private var timer: DispatchSourceTimer?

    init(style: RecordingHost.ProgressStyle) { self.style = style }

    func start(label: String) {
        let interval: Double
        switch style {
        case .none: return
        case .statusLine: interval = 0.5
        case .heartbeat(let every): interval = every
        }
        lock.lock()
        self.label = label
        detail = ""
        started = RecordingHost.now()
        lock.unlock()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        self.timer = timer
    }

    func progress(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        detail = text
    }

    func stop() {
        timer?.cancel()
        timer = nil
        clear()
    }

    /// Erases the status line (before other output reaches the terminal).
    func clear() {
        lock.lock(); defer { lock.unlock() }
        guard shown else { return }
        RecordingHost.writeStderr("\r\u{1B}[K")
        shown = false
    }

    private func tick() {
        lock.lock(); defer { lock.unlock() }
        let elapsed = RecordingHost.formatSeconds(Double(RecordingHost.now() - started) / 1e9)
        let line = [label, elapsed, detail].filter { !$0.isEmpty }.joined(separator: " · ")
        switch style {
        case .none: break
        case .statusLine:
            RecordingHost.writeStderr("\r  \(line)\u{1B}[K")
            shown = true
        case .heartbeat:
            RecordingHost.writeStderr("  still running: \(line)\n")
        }
    }
}
