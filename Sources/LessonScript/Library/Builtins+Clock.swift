import Foundation

extension BuiltinLibrary {
    /// A clock to time a cell: `clock()` (seconds on a monotonic clock), `elapsed(since)`
    /// (seconds since such a reading) and `sleep(seconds)` (a pause that still honours the
    /// cell's timeout). Times differ from run to run: print them in `nondeterministic` cells,
    /// or compare them instead of printing them.
    static func registerClock(_ library: BuiltinLibrary) {
        library.defineFunction("clock") { arguments, _ in
            _ = try ArgumentList(arguments, function: "clock", maxPositional: 0)
            return .double(Clock.seconds())
        }
        library.defineFunction("elapsed") { arguments, _ in
            let args = try ArgumentList(arguments, function: "elapsed", maxPositional: 1)
            return .double(Clock.seconds() - (try args.double(0, "since")))
        }
        library.defineFunction("sleep") { arguments, context in
            let args = try ArgumentList(arguments, function: "sleep", maxPositional: 1)
            let seconds = try args.double(0, "seconds")
            guard seconds.isFinite, seconds >= 0 else { throw ScriptRuntimeError("sleep: seconds must be a finite number ≥ 0, got \(seconds)") }
            // Short slices, each a cancellation check, so that a timeout stops the pause.
            let end = Clock.seconds() + seconds
            while Clock.seconds() < end {
                try context.host.checkCancellation()
                Thread.sleep(forTimeInterval: min(0.001, max(0, end - Clock.seconds())))
            }
            return .nil
        }
    }
}

/// Seconds on the monotonic clock (not the wall clock: it never jumps).
enum Clock {
    static func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
