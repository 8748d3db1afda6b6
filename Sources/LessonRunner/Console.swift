import Foundation

/// Where the commands write: results and outputs on stdout, diagnostics on stderr, and
/// GitHub Actions annotations (`::error file=…,line=…::…`) on stdout under `GITHUB_ACTIONS=true`.
///
/// Under `GITHUB_ACTIONS=true` every other line is encoded so that text from input (a lesson's
/// file name, what a cell printed) can never start a workflow command: a line beginning with
/// `::` gets a zero-width space between the colons. PASS, FAIL and SKIP are coloured only when
/// stdout is a terminal and `NO_COLOR` is not set.
public final class Console {
    private let lock = NSLock()
    public var githubAnnotations: Bool
    /// Whether verdict words are coloured.
    public var colors = false
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void

    /// A console on the process's stdout and stderr.
    public init(githubAnnotations: Bool = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true") {
        self.githubAnnotations = githubAnnotations
        colors = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        writeOut = { FileHandle.standardOutput.write(Data($0.utf8)) }
        writeErr = { FileHandle.standardError.write(Data($0.utf8)) }
    }

    /// A console that hands its text to `out` and `err` (tests capture it this way).
    public init(githubAnnotations: Bool = false, out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
        self.githubAnnotations = githubAnnotations
        writeOut = out
        writeErr = err
    }

    public func out(_ text: String) { lock.lock(); defer { lock.unlock() }; writeOut(encoded(text)) }
    public func err(_ text: String) { lock.lock(); defer { lock.unlock() }; writeErr(encoded(text)) }

    /// Passes on what a child `lessonbook` process wrote, as it is (it encoded its own lines).
    func relay(out text: String) { lock.lock(); defer { lock.unlock() }; writeOut(text) }
    func relay(err text: String) { lock.lock(); defer { lock.unlock() }; writeErr(text) }

    /// A GitHub Actions annotation on stdout (only under `GITHUB_ACTIONS=true`).
    public func annotate(_ level: String = "error", file: String, line: Int, message: String) {
        guard githubAnnotations else { return }
        lock.lock(); defer { lock.unlock() }
        writeOut(Console.annotation(level, file: file, line: line, message: message))
    }

    /// Reports a failure at a place in a lesson: on stderr, and as an annotation in CI.
    public func failure(file: String, line: Int, title: String, details: String? = nil) {
        err((line > 0 ? "\(file):\(line): " : "\(file): ") + title + "\n" + (details.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" } ?? ""))
        annotate(file: file, line: line, message: title + (details.map { "\n" + $0 } ?? ""))
    }

    /// `PASS`, `FAIL` or `SKIP` for a lesson, coloured on a terminal.
    public func verdict(_ status: LessonStatus) -> String { verdict(status.word) }

    public func verdict(_ word: String) -> String {
        guard colors else { return word }
        let code = word == "PASS" ? "32" : word == "SKIP" ? "33" : "31"
        return "\u{1B}[1;\(code)m\(word)\u{1B}[0m"
    }

    /// Text with every line that could start a workflow command defused (under GitHub Actions).
    private func encoded(_ text: String) -> String {
        guard githubAnnotations, text.contains("::") else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            return trimmed.hasPrefix("::") ? line.replacingOccurrences(of: "::", with: ":\u{200B}:") : String(line)
        }.joined(separator: "\n")
    }

    /// `::error file=F,line=L::MESSAGE`, escaped as GitHub's workflow commands require.
    public static func annotation(_ level: String = "error", file: String, line: Int, message: String) -> String {
        func escapeData(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        }
        func escapeProperty(_ s: String) -> String {
            escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        return "::\(level) file=\(escapeProperty(file)),line=\(max(line, 1))::\(escapeData(message))\n"
    }
}

/// A mistake in how a command was called (a lesson path that does not exist, a cell that is
/// not in the lesson): exit status 2.
public struct UsageError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
