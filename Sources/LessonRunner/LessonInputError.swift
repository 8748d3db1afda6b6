import Foundation

/// A problem with a lesson file itself (not with running it): an unterminated fence, an
/// unknown cell option, a bad front-matter value. Printed as `file:line: error: message`.
public struct LessonInputError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var message: String
    public init(file: String, line: Int, message: String) {
        self.file = file; self.line = line; self.message = message
    }
    public var description: String { "\(file):\(line): error: \(message)" }
}

/// A problem worth telling the author about that does not stop the lesson (an empty lesson,
/// an unknown front-matter key). Printed as `file:line: warning: message`.
public struct LessonWarning: CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var message: String
    public init(file: String, line: Int, message: String) {
        self.file = file; self.line = line; self.message = message
    }
    public var description: String { "\(file):\(line): warning: \(message)" }
}
