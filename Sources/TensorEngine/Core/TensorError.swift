/// An error from the engine: misuse (a shape that does not fit, an index out of range,
/// an allocation over the limit) is always thrown, never a crash.
public struct TensorError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, naming the operation and the shapes, in PyTorch's spirit.
    public var message: String
    /// What to try instead, when there is something useful to say.
    public var suggestion: String?

    public init(_ message: String, suggestion: String? = nil) {
        self.message = message
        self.suggestion = suggestion
    }

    public var description: String {
        suggestion.map { "\(message) (\($0))" } ?? message
    }
}

/// `[2, 3, 4]`, the way shapes print in lessons.
public func shapeDescription(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
