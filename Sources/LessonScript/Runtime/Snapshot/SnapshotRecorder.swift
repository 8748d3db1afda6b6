import Foundation
import TensorEngine

/// A cell as the interpreter ran it: what restoring replays the declarations of.
public struct SnapshotCell: Equatable {
    public var source: String
    public var file: String
    public var firstLine: Int
    public init(source: String, file: String, firstLine: Int) {
        self.source = source; self.file = file; self.firstLine = firstLine
    }
}

/// Saves and restores an interpreter's global state between cells.
///
/// Values (numbers, strings, collections, tensors, modules, optimisers, data sets, script
/// objects) are written into a `SnapshotArchiveWriter` archive, with shared objects kept
/// shared, and the engine's generator state. Declarations (functions, structs, classes) are
/// not serialised: restoring replays the declarations of every earlier cell from their
/// source, and a value that refers to one (a function held in a variable, an instance of a
/// class) names it by the cell that declared it and its name.
///
/// Call `didRun(_:)` after every cell the interpreter runs (also one that failed).
public final class SnapshotRecorder {
    public let interpreter: Interpreter
    /// The cells run so far, in order.
    public private(set) var cells: [SnapshotCell] = []

    struct DeclarationRef: Hashable {
        var cell: Int
        var name: String
    }
    private var functionRefs: [ObjectIdentifier: DeclarationRef] = [:]
    private var typeRefs: [ObjectIdentifier: DeclarationRef] = [:]
    private var functionsByRef: [DeclarationRef: Value] = [:]
    private var typesByRef: [DeclarationRef: ScriptType] = [:]
    /// Keeps registered code and types alive, so their ObjectIdentifiers stay theirs.
    private var retained: [AnyObject] = []

    /// Format of the archive; a snapshot of another format is not read.
    static let format = "lessonscript-snapshot 1"

    public init(interpreter: Interpreter) {
        self.interpreter = interpreter
    }

    /// Records a cell the interpreter just ran, and the declarations it made.
    public func didRun(_ cell: SnapshotCell) {
        cells.append(cell)
        registerDeclarations(cell: cells.count - 1)
    }

    private func registerDeclarations(cell: Int) {
        for (name, type) in interpreter.types where typeRefs[ObjectIdentifier(type)] == nil {
            let ref = DeclarationRef(cell: cell, name: name)
            typeRefs[ObjectIdentifier(type)] = ref
            typesByRef[ref] = type
            retained.append(type)
        }
        let globals = interpreter.globals
        for (name, variable) in globals.variables where variable.isDeclaration && globals.values.indices.contains(variable.index) {
            let value = globals.values[variable.index]
            guard case .function(let f as ScriptFunction) = value, f.captures.isEmpty, f.boundSelf == nil,
                  functionRefs[ObjectIdentifier(f.code)] == nil else { continue }
            let ref = DeclarationRef(cell: cell, name: name)
            functionRefs[ObjectIdentifier(f.code)] = ref
            functionsByRef[ref] = value
            retained.append(f.code)
        }
    }

    // MARK: Saving

    /// The archive of the current state and the large tensors it refers to by key (stored
    /// beside it). Throws `SnapshotUnsupported` when some global cannot be saved.
    public func snapshot(header: String) throws -> (archive: [UInt8], blobs: [String: Tensor]) {
        let writer = SnapshotArchiveWriter()
        let encoder = ValueEncoder(recorder: self, writer: writer)
        writer.customModule = { _, module in
            guard let script = module as? ScriptModule else { return nil }
            return try encoder.scriptModule(script)
        }
        var roots = ByteWriter()
        roots.string(Self.format)
        roots.int(cells.count)
        let globals = interpreter.globals
        roots.int(globals.values.count)
        let byIndex = Dictionary(globals.variables.values.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        for index in globals.values.indices {
            // A slot whose name was redeclared has a newer variable at the same index.
            roots.string(byIndex[index]?.name ?? "")
            do {
                try encoder.value(globals.values[index], into: &roots)
            } catch let unsupported as SnapshotUnsupported {
                throw SnapshotUnsupported("'\(byIndex[index]?.name ?? "?")' holds \(unsupported.reason)")
            }
        }
        return (writer.finish(header: header, roots: roots), writer.blobs)
    }

    func reference(toFunction f: ScriptFunction) -> DeclarationRef? {
        guard f.captures.isEmpty, f.boundSelf == nil else { return nil }
        return functionRefs[ObjectIdentifier(f.code)]
    }

    func reference(toType t: ScriptType) -> DeclarationRef? { typeRefs[ObjectIdentifier(t)] }

    // MARK: Restoring

    /// Restores a snapshot into this recorder's interpreter, which must not have run any
    /// cell yet. `cells` are the cells the snapshot was taken after, as the lesson has them
    /// now (their positions may have moved); their declarations are replayed. Throws
    /// `SnapshotCorrupt` (or another error) when the snapshot does not fit; the interpreter
    /// must then be discarded.
    public func restore(_ bytes: [UInt8], header: String, cells: [SnapshotCell], blobSource: @escaping (String) -> [UInt8]?) throws {
        guard self.cells.isEmpty, interpreter.globals.values.isEmpty else {
            throw SnapshotCorrupt("a snapshot is restored into a fresh interpreter")
        }
        let reader = try SnapshotArchiveReader(bytes)
        guard reader.header == header else { throw SnapshotCorrupt("written by another version") }
        var roots = reader.roots
        guard try roots.string() == Self.format else { throw SnapshotCorrupt("another snapshot format") }
        guard try roots.count() == cells.count else { throw SnapshotCorrupt("taken after another number of cells") }

        var failure: Error?
        Interpreter.onLargeStack {
            do {
                for cell in cells { try self.replayDeclarations(cell) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }

        let globals = interpreter.globals
        let count = try roots.count()
        guard count == globals.values.count else {
            throw SnapshotCorrupt("the declarations made \(globals.values.count) globals, the snapshot has \(count)")
        }
        reader.blobSource = blobSource
        let decoder = ValueDecoder(recorder: self, reader: reader)
        reader.customDecoder = { reader, kind, id, r in try decoder.object(kind: kind, id: id, &r) }
        let byIndex = Dictionary(globals.variables.values.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        var values = globals.values
        for index in 0..<count {
            let name = try roots.string()
            guard name == (byIndex[index]?.name ?? "") else { throw SnapshotCorrupt("global \(index) is '\(name)' in the snapshot") }
            values[index] = try decoder.value(&roots)
        }
        globals.values = values
        // Last: building layers above drew initial weights from the generator.
        reader.restoreGenerator()
    }

    /// Compiles a cell through `Interpreter.compile`, as `Interpreter.run` does, and runs only its
    /// function and type declarations. A cell that failed to resolve when it first ran fails
    /// the same way here and, as then, declares nothing.
    private func replayDeclarations(_ cell: SnapshotCell) throws {
        let text = SourceText(cell.source, file: cell.file, firstLine: cell.firstLine)
        defer {
            cells.append(cell)
            registerDeclarations(cell: cells.count - 1)
        }
        let declarations: Interpreter.CompiledCell
        do {
            declarations = try interpreter.compile(text, keeping: { statement in
                switch statement.kind {
                case .function, .type: return true
                default: return false
                }
            })
        } catch is SyntaxIssue {
            return
        }
        _ = try declarations.code(declarations.makeFrame())
    }

    func function(_ ref: DeclarationRef) throws -> Value {
        guard let f = functionsByRef[ref] else { throw SnapshotCorrupt("no function '\(ref.name)' declared in cell \(ref.cell + 1)") }
        return f
    }

    func type(_ ref: DeclarationRef) throws -> ScriptType {
        guard let t = typesByRef[ref] else { throw SnapshotCorrupt("no type '\(ref.name)' declared in cell \(ref.cell + 1)") }
        return t
    }
}
