extension BuiltinLibrary {
    /// `fatalError`, `precondition`, `preconditionFailure`, `assert` and `assertionFailure`.
    ///
    /// In a lesson they stop the cell with a runtime error at the call, carrying the message,
    /// instead of crashing the process as in Swift. Unlike Swift's, the arguments are evaluated
    /// before the call (the language has no autoclosures), and `assert` is checked always:
    /// a lesson has no release build in which it could be skipped.
    static func registerAssertions(_ library: BuiltinLibrary) {
        library.defineFunction("fatalError") { arguments, _ in
            throw failure("fatalError", "fatal error", arguments, messageIndex: 0)
        }
        library.defineFunction("preconditionFailure") { arguments, _ in
            throw failure("preconditionFailure", "precondition failed", arguments, messageIndex: 0)
        }
        library.defineFunction("assertionFailure") { arguments, _ in
            throw failure("assertionFailure", "assertion failed", arguments, messageIndex: 0)
        }
        library.defineFunction("precondition") { arguments, _ in
            try check("precondition", "precondition failed", arguments)
        }
        library.defineFunction("assert") { arguments, _ in
            try check("assert", "assertion failed", arguments)
        }
    }

    /// `precondition(condition, message)`: nothing when the condition holds, else the failure.
    private static func check(_ function: String, _ what: String, _ arguments: [Argument]) throws -> Value {
        let args = try ArgumentList(arguments, function: function, maxPositional: 2)
        if try args.toBool(try args.value(0, "condition"), "condition") {
            // The message is still checked, so a typo in it does not wait for a failure.
            _ = try message(args, at: 1)
            return .void
        }
        throw failure(function, what, arguments, messageIndex: 1)
    }

    /// The runtime error `what: message` (just `what` without a message).
    private static func failure(_ function: String, _ what: String, _ arguments: [Argument], messageIndex: Int) -> Error {
        do {
            let args = try ArgumentList(arguments, function: function, maxPositional: messageIndex + 1)
            guard let text = try message(args, at: messageIndex), !text.isEmpty else { return ScriptRuntimeError(what) }
            return ScriptRuntimeError("\(what): \(text)")
        } catch {
            return error
        }
    }

    private static func message(_ args: ArgumentList, at index: Int) throws -> String? {
        guard let value = args[index] else { return nil }
        return try args.toString(value, "message")
    }
}
