import Foundation

/// One lesson's results as `check` saw them: enough for the JUnit report, and the form a
/// `--jobs` child process hands back to its parent (as JSON).
public struct LessonCheckReport: Codable, Equatable {
    public struct Cell: Codable, Equatable {
        public enum Outcome: String, Codable { case passed, failed, skipped }
        public var id: String
        public var line: Int
        public var seconds: Double
        public var outcome: Outcome
        /// For a failure: the one-line reason; for a skip: why.
        public var message: String?
        /// For a failure: the diff or the diagnostic.
        public var details: String?
        public init(id: String, line: Int, seconds: Double, outcome: Outcome, message: String? = nil, details: String? = nil) {
            self.id = id; self.line = line; self.seconds = seconds; self.outcome = outcome
            self.message = message; self.details = details
        }
    }
    public var path: String
    public var title: String
    public var seconds: Double
    /// A lesson-level problem (bad input, missing requirement) when no cell carries it.
    public var error: String?
    public var skippedReason: String?
    public var cells: [Cell]
    public init(path: String, title: String, seconds: Double, error: String? = nil, skippedReason: String? = nil, cells: [Cell]) {
        self.path = path; self.title = title; self.seconds = seconds; self.error = error
        self.skippedReason = skippedReason; self.cells = cells
    }

    public var passed: Bool { error == nil && !cells.contains { $0.outcome == .failed } }
}

/// `check --junit FILE`: a JUnit XML report, one `<testsuite>` per lesson and one
/// `<testcase>` per cell, which CI systems show as test results.
public enum JUnitReport {
    public static func xml(_ lessons: [LessonCheckReport]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let tests = lessons.reduce(0) { $0 + max($1.cells.count, $1.error == nil ? 0 : 1) }
        let failures = lessons.reduce(0) { $0 + $1.cells.filter { $0.outcome == .failed }.count + ($1.error == nil ? 0 : 1) }
        let total = lessons.reduce(0) { $0 + $1.seconds }
        out += "<testsuites name=\"lessonbook\" tests=\"\(tests)\" failures=\"\(failures)\" time=\"\(format(total))\">\n"
        for lesson in lessons {
            let failed = lesson.cells.filter { $0.outcome == .failed }.count + (lesson.error == nil ? 0 : 1)
            let skipped = lesson.cells.filter { $0.outcome == .skipped }.count
            out += "  <testsuite name=\"\(escape(lesson.path))\" tests=\"\(max(lesson.cells.count, lesson.error == nil ? 0 : 1))\" failures=\"\(failed)\" skipped=\"\(skipped)\" time=\"\(format(lesson.seconds))\">\n"
            if let error = lesson.error {
                out += "    <testcase classname=\"\(escape(lesson.path))\" name=\"lesson\" time=\"0\">\n"
                out += "      <failure message=\"\(escape(firstLine(error)))\">\(escape(error))</failure>\n    </testcase>\n"
            }
            for cell in lesson.cells {
                out += "    <testcase classname=\"\(escape(lesson.path))\" name=\"cell \(escape(cell.id)) (line \(cell.line))\" time=\"\(format(cell.seconds))\""
                switch cell.outcome {
                case .passed:
                    out += "/>\n"
                case .skipped:
                    out += ">\n      <skipped message=\"\(escape(cell.message ?? ""))\"/>\n    </testcase>\n"
                case .failed:
                    out += ">\n      <failure message=\"\(escape(cell.message ?? "failed"))\">\(escape(cell.details ?? ""))</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// XML text: the five markup characters as in HTML, and control characters, which
    /// XML 1.0 does not allow at all, replaced.
    static func escape(_ text: String) -> String {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let forbidden = (scalar.value < 0x20 && !"\n\t\r".unicodeScalars.contains(scalar))
                || scalar.value == 0xFFFE || scalar.value == 0xFFFF
            cleaned.append(forbidden ? "?" : scalar)
        }
        return HTMLEscaping.escape(String(cleaned))
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
    private static func firstLine(_ text: String) -> String { String(text.prefix { $0 != "\n" }) }
}
