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
    /// How many cells were executed and how many taken from their records.
    public var executed: Int?
    public var reused: Int?
    public init(path: String, title: String, seconds: Double, error: String? = nil, skippedReason: String? = nil, cells: [Cell]) {
        self.path = path; self.title = title; self.seconds = seconds; self.error = error
        self.skippedReason = skippedReason; self.cells = cells
    }

    public var passed: Bool { error == nil && !cells.contains { $0.outcome == .failed } }

    /// Whether the JUnit report has a testcase for the lesson itself (an error, or a skip
    /// with no cells to carry it).
    var hasLessonCase: Bool { error != nil || (skippedReason != nil && cells.isEmpty) }
}

/// `check --junit FILE`: a JUnit XML report, one `<testsuite>` per lesson and one
/// `<testcase>` per cell, which CI systems show as test results.
public enum JUnitReport {
    public static func xml(_ lessons: [LessonCheckReport]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let tests = lessons.reduce(0) { $0 + max($1.cells.count, $1.hasLessonCase ? 1 : 0) }
        let failures = lessons.reduce(0) { $0 + $1.cells.filter { $0.outcome == .failed }.count + ($1.error == nil ? 0 : 1) }
        let total = lessons.reduce(0) { $0 + $1.seconds }
        out += "<testsuites name=\"lessonbook\" tests=\"\(tests)\" failures=\"\(failures)\" time=\"\(format(total))\">\n"
        for lesson in lessons {
            let failed = lesson.cells.filter { $0.outcome == .failed }.count + (lesson.error == nil ? 0 : 1)
            let skipped = lesson.cells.filter { $0.outcome == .skipped }.count + (lesson.error == nil && lesson.hasLessonCase ? 1 : 0)
            out += "  <testsuite name=\"\(escape(lesson.path))\" tests=\"\(lesson.cells.count + (lesson.hasLessonCase ? 1 : 0))\" failures=\"\(failed)\" skipped=\"\(skipped)\" time=\"\(format(lesson.seconds))\">\n"
            if let error = lesson.error {
                out += "    <testcase classname=\"\(escape(lesson.path))\" name=\"lesson\" time=\"0\">\n"
                out += "      <failure message=\"\(escape(firstLine(error)))\">\(escape(error))</failure>\n    </testcase>\n"
            } else if let reason = lesson.skippedReason, lesson.cells.isEmpty {
                out += "    <testcase classname=\"\(escape(lesson.path))\" name=\"lesson\" time=\"0\">\n"
                out += "      <skipped message=\"\(escape(reason))\"/>\n    </testcase>\n"
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
