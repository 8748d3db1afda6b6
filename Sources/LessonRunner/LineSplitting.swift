import Foundation

extension String {
    /// The text split at every `\n` byte, keeping a `\r` before it as part of the line.
    /// (Splitting by `Character` would not split `\r\n`, which Swift treats as one character.)
    var linesSplitAtNewline: [String] {
        unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
    }
}
