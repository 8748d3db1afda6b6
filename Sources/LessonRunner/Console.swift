import Foundation

/// Where the commands write: results and outputs on stdout, diagnostics on stderr, and
/// GitHub Actions annotations (`::error file=…,line=…::…`) on stdout under `GITHUB_ACTIONS=true`.
public final class Console {
    private let lock = NSLock()
    public var githubAnnotations: Bool
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void

    /// A console on the process's stdout and stderr.
    public init(githubAnnotations: Bool = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true") {
        self.githubAnnotations = githubAnnotations
        writeOut = { FileHandle.standardOutput.write(Data($0.utf8)) }
        writeErr = { FileHandle.standardError.write(Data($0.utf8)) }
    }

    /// A console that hands its text to `out` and `err` (tests capture it this way).
    public init(githubAnnotations: Bool = false, out: @escaping (String) -> Void, err: @escaping (String) -> Void) {
        self.githubAnnotations = githubAnnotations
        writeOut = out
        writeErr = err
    }

    public func out(_ text: String) { lock.lock(); defer { lock.unlock() }; writeOut(text) }
    public func err(_ text: String) { lock.lock(); defer { lock.unlock() }; writeErr(text) }

    /// Reports a failure at a place in a lesson: on stderr, and as an annotation in CI.
    public func failure(file: String, line: Int, title: String, details: String? = nil) {
        err((line > 0 ? "\(file):\(line): " : "\(file): ") + title + "\n" + (details.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" } ?? ""))
        if githubAnnotations { out(Console.annotation(file: file, line: line, message: title + (details.map { "\n" + $0 } ?? ""))) }
    }

    /// `::error file=F,line=L::MESSAGE`, escaped as GitHub's workflow commands require.
    public static func annotation(file: String, line: Int, message: String) -> String {
        func escapeData(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        }
        func escapeProperty(_ s: String) -> String {
            escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        return "::error file=\(escapeProperty(file)),line=\(max(line, 1))::\(escapeData(message))\n"
    }
}

/// A mistake in how a command was called (a lesson path that does not exist, a cell that is
/// not in the lesson): exit status 2.
public struct UsageError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
