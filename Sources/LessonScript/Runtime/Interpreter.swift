import Foundation
import TensorEngine

/// Runs lesson cells: lexes, parses, resolves and compiles each cell to closures, then runs
/// it in the lesson's shared global scope.
public final class Interpreter: CallContext {
    public let host: ScriptHost
    let library: BuiltinLibrary
    let globals = GlobalTable()
    /// Struct and class declarations so far (for the resolver: superclasses, members).
    var typeDecls: [String: TypeDecl] = [:]
    /// Their run-time types, by name (the latest declaration wins).
    var types: [String: ScriptType] = [:]
    var callDepth = 0
    /// Nested script calls allowed before "recursion too deep".
    public static let maximumCallDepth = 1000
    /// Cells run on a thread with this much stack, so deep (bounded) recursion is safe.
    static let stackSize = 512 << 20

    public init(host: ScriptHost, library: BuiltinLibrary = .standard()) {
        self.host = host
        self.library = library
    }

    /// Runs one cell in the lesson's shared global scope (cells run top to bottom and share
    /// globals). `firstLine` is the 1-based line in `file` of the cell's first source line, so
    /// diagnostics give lesson positions. Printed text and rich outputs go to the host as they
    /// happen; the value of the cell's last expression statement (when not Void) is sent as
    /// `.value(String)`. Throws `ScriptDiagnostic` for syntax and runtime errors, and the
    /// host's cancellation error unchanged.
    public func run(cell source: String, file: String, firstLine: Int) throws {
        let text = SourceText(source, file: file, firstLine: firstLine)
        var failure: Error?
        Interpreter.onLargeStack {
            do {
                try self.runOnCurrentThread(text)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// A cell ready to run: its code and the frame it needs.
    struct CompiledCell {
        let code: Code
        let slotCount: Int
        let boxCount: Int
        func makeFrame() -> Frame { Frame(slotCount: slotCount, boxCount: boxCount, captures: []) }
    }

    /// The one pipeline from source to code: parse, resolve against the globals and the types
    /// declared so far (which it updates), compile. `keeping` compiles only the statements it
    /// accepts (a snapshot's replay of declarations); without it the cell's last expression
    /// is displayed. Throws `SyntaxIssue` when the cell does not parse or resolve.
    func compile(_ text: SourceText, keeping: ((Stmt) -> Bool)? = nil) throws -> CompiledCell {
        let statements = try Parser.parse(text)
        let resolver = Resolver(library: library, globals: globals, source: text, knownTypes: typeDecls)
        let resolved = try resolver.resolveCell(statements)
        typeDecls = resolved.types
        let compiler = Compiler(interpreter: self, source: text, defaultWrappers: resolver.defaultWrappers)
        let code: Code
        if let keeping {
            let sequence = compiler.compileSequence(statements.filter(keeping).map(compiler.compileStatement))
            code = { frame in _ = try sequence(frame); return .void }
        } else {
            code = compiler.compileCell(statements)
        }
        return CompiledCell(code: code, slotCount: resolved.slotCount, boxCount: resolved.boxCount)
    }

    private func runOnCurrentThread(_ text: SourceText) throws {
        let cell: CompiledCell
        do {
            cell = try compile(text)
        } catch let issue as SyntaxIssue {
            throw text.diagnostic(issue.kind, issue.message, at: issue.range, suggestion: issue.suggestion)
        }
        callDepth = 0
        let value = try cell.code(cell.makeFrame())
        switch value {
        case .void: break
        default: host.display(.value(describe(value)))
        }
    }

    /// Runs `body` on a thread with a large stack and waits for it.
    static func onLargeStack(_ body: @escaping () -> Void) {
        let done = DispatchSemaphore(value: 0)
        // The thread object outlives `done.signal()` by a moment; the work (which holds the
        // interpreter and through it the lesson's tensors) is dropped before that, so a
        // finished cell's memory is given back when `run` returns, not when the thread dies.
        final class Work { var body: (() -> Void)?; init(_ body: @escaping () -> Void) { self.body = body } }
        let work = Work(body)
        let thread = Thread {
            work.body?()
            work.body = nil
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
    }

    // MARK: CallContext

    /// Calls a script function, closure, built-in, type or module with arguments.
    public func call(_ function: Value, _ arguments: [Argument]) throws -> Value {
        try callValue(function, arguments, site: nil)
    }

    public func describe(_ value: Value) -> String { value.printDescription }
}
