import TensorEngine

/// Record kinds of script objects in a snapshot archive (the engine's are below 100).
enum ScriptRecordKind {
    static let instance: SnapshotArchiveWriter.Kind = 100
    static let module: SnapshotArchiveWriter.Kind = 101
    static let optimizer: SnapshotArchiveWriter.Kind = 110
    static let parameterList: SnapshotArchiveWriter.Kind = 111
    static let dataset: SnapshotArchiveWriter.Kind = 112
    static let dataLoader: SnapshotArchiveWriter.Kind = 113
}

/// Tags of values in a snapshot.
private enum ValueTag: UInt8 {
    case void, `nil`, int, double, bool, string, array, dictionary, tuple, range, tensor
    case module, declaredFunction, builtinFunction, typeConstructor, object, structInstance, native, implicitMember
}

/// Writes cell values into a snapshot archive.
final class ValueEncoder {
    let recorder: SnapshotRecorder
    let writer: SnapshotArchiveWriter

    init(recorder: SnapshotRecorder, writer: SnapshotArchiveWriter) {
        self.recorder = recorder
        self.writer = writer
    }

    /// Values nested deeper than this are not saved (the encoder recurses, on the caller's
    /// stack): the snapshot is skipped, as for any value it cannot hold.
    static let maximumDepth = 1000
    private var depth = 0

    func value(_ v: Value, into w: inout ByteWriter) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= ValueEncoder.maximumDepth else {
            throw SnapshotUnsupported("a value nested more than \(ValueEncoder.maximumDepth) levels deep")
        }
        switch v {
        case .void: w.uint8(ValueTag.void.rawValue)
        case .nil: w.uint8(ValueTag.nil.rawValue)
        case .int(let i): w.uint8(ValueTag.int.rawValue); w.int(i)
        case .double(let d): w.uint8(ValueTag.double.rawValue); w.double(d)
        case .bool(let b): w.uint8(ValueTag.bool.rawValue); w.bool(b)
        case .string(let s): w.uint8(ValueTag.string.rawValue); w.string(s)
        case .array(let items):
            w.uint8(ValueTag.array.rawValue)
            w.int(items.count)
            for item in items { try value(item, into: &w) }
        case .dictionary(let d):
            w.uint8(ValueTag.dictionary.rawValue)
            w.int(d.count)
            for (k, item) in zip(d.keys, d.values) { try value(k, into: &w); try value(item, into: &w) }
        case .tuple(let items, let labels):
            w.uint8(ValueTag.tuple.rawValue)
            w.int(items.count)
            for (item, label) in zip(items, labels) {
                w.bool(label != nil)
                if let label { w.string(label) }
                try value(item, into: &w)
            }
        case .range(let lower, let upper, let closed):
            w.uint8(ValueTag.range.rawValue)
            for bound in [lower, upper] {
                w.bool(bound != nil)
                if let bound { w.int(bound) }
            }
            w.bool(closed)
        case .tensor(let t):
            w.uint8(ValueTag.tensor.rawValue)
            try writer.tensor(t, into: &w)
        case .module(let m):
            w.uint8(ValueTag.module.rawValue)
            w.int(try writer.module(m))
        case .function(let callable):
            switch callable {
            case let f as ScriptFunction:
                guard let ref = recorder.reference(toFunction: f) else {
                    throw SnapshotUnsupported(f.code.isClosure ? "a closure" : "a function value that is not a top-level declaration (\(f.name))")
                }
                w.uint8(ValueTag.declaredFunction.rawValue)
                w.int(ref.cell); w.string(ref.name)
            case let b as BuiltinFunctionValue:
                guard recorder.interpreter.library.functions[b.name] != nil else {
                    throw SnapshotUnsupported("the operator function '\(b.name)'")
                }
                w.uint8(ValueTag.builtinFunction.rawValue)
                w.string(b.name)
            case let t as TypeConstructor:
                guard let ref = recorder.reference(toType: t.type) else { throw SnapshotUnsupported("the type '\(t.name)' of an earlier declaration") }
                w.uint8(ValueTag.typeConstructor.rawValue)
                w.int(ref.cell); w.string(ref.name)
            default:
                throw SnapshotUnsupported("the function value '\(callable.name)'")
            }
        case .object(let o):
            guard let instance = o as? ScriptInstance else { throw SnapshotUnsupported("an object of type \(o.typeName)") }
            w.uint8(ValueTag.object.rawValue)
            w.int(try scriptInstance(instance))
        case .structInstance(let s):
            w.uint8(ValueTag.structInstance.rawValue)
            w.string(s.typeName)
            w.int(s.fields.count)
            for (name, field) in zip(s.fieldNames, s.fields) { w.string(name); try value(field, into: &w) }
        case .native(let object):
            w.uint8(ValueTag.native.rawValue)
            w.int(try native(object))
        case .implicitMember(let name):
            w.uint8(ValueTag.implicitMember.rawValue)
            w.string(name)
        }
    }

    private func typeReference(_ type: ScriptType, _ w: inout ByteWriter) throws {
        guard let ref = recorder.reference(toType: type) else {
            throw SnapshotUnsupported("an instance of '\(type.name)' from a declaration that was replaced")
        }
        w.int(ref.cell); w.string(ref.name)
    }

    func scriptInstance(_ o: ScriptInstance) throws -> Int {
        try writer.reference(o, kind: ScriptRecordKind.instance) { w in
            try typeReference(o.type, &w)
            w.int(o.fields.count)
            for i in o.fields.indices { try value(o.field(i), into: &w) }
        }
    }

    /// A script layer: its type, training flag, then per field either its parameter or its value.
    func scriptModule(_ m: ScriptModule) throws -> Int {
        var owned: [Parameter] = []
        let id = try writer.reference(m, kind: ScriptRecordKind.module) { w in
            try typeReference(m.type, &w)
            w.bool(m.isTraining)
            let parameters = Dictionary(m.ownParameters.map { ($0.name, $0.parameter) }, uniquingKeysWith: { a, _ in a })
            let parameterFields = m.fields.indices.compactMap { i in parameters[m.fieldNames[i]].map { (i, $0) } }
            w.int(m.fields.count)
            let buffers = m.bufferFields.sorted()
            w.int(buffers.count)
            for i in buffers { w.int(i) }
            // Parameters first: restoring makes them before anything that may refer to them.
            w.int(parameterFields.count)
            for (i, p) in parameterFields {
                w.int(i)
                w.int(try writer.parameter(p))
                owned.append(p)
            }
            for i in m.fields.indices where parameters[m.fieldNames[i]] == nil {
                w.int(i)
                try value(m.fields[i], into: &w)
            }
        }
        for p in owned { if let pid = writer.existingReference(p) { writer.own(pid, by: id) } }
        return id
    }

    private func native(_ object: any NativeObject) throws -> Int {
        switch object {
        case let o as OptimizerObject:
            return try writer.reference(o, kind: ScriptRecordKind.optimizer) { w in
                w.int(try writer.optimizer(o.optimizer))
                w.string(o.typeName)
                w.int(o.settings.count)
                for (name, setting) in o.settings { w.string(name); w.string(setting) }
            }
        case let list as ParameterList:
            return try writer.reference(list, kind: ScriptRecordKind.parameterList) { w in
                w.int(list.parameters.count)
                for p in list.parameters { w.int(try writer.parameter(p)) }
            }
        case let d as DatasetObject:
            return try writer.reference(d, kind: ScriptRecordKind.dataset) { w in
                w.string(d.typeName)
                try writer.dataset(d.dataset, into: &w, isPristine: DatasetCache.shared.isPristine)
            }
        case let l as DataLoaderObject:
            return try writer.reference(l, kind: ScriptRecordKind.dataLoader) { w in
                w.int(try native(l.datasetValue))
                w.int(l.loader.batchSize); w.bool(l.loader.shuffle); w.bool(l.loader.dropLast)
            }
        default:
            throw SnapshotUnsupported("a \(object.typeName)")
        }
    }
}

/// Reads cell values written by `ValueEncoder`.
final class ValueDecoder {
    let recorder: SnapshotRecorder
    let reader: SnapshotArchiveReader

    init(recorder: SnapshotRecorder, reader: SnapshotArchiveReader) {
        self.recorder = recorder
        self.reader = reader
    }

    func value(_ r: inout ByteReader) throws -> Value {
        guard let tag = ValueTag(rawValue: try r.uint8()) else { throw SnapshotCorrupt("bad value tag") }
        switch tag {
        case .void: return .void
        case .nil: return .nil
        case .int: return .int(try r.int())
        case .double: return .double(try r.double())
        case .bool: return .bool(try r.bool())
        case .string: return .string(try r.string())
        case .array:
            let n = try r.count()
            var items: [Value] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try value(&r)) }
            return .array(items)
        case .dictionary:
            var d = OrderedDictionary()
            for _ in 0..<(try r.count()) {
                let k = try value(&r)
                d[k] = try value(&r)
            }
            return .dictionary(d)
        case .tuple:
            var items: [Value] = [], labels: [String?] = []
            for _ in 0..<(try r.count()) {
                labels.append(try r.bool() ? try r.string() : nil)
                items.append(try value(&r))
            }
            return .tuple(items, labels: labels)
        case .range:
            let lower = try r.bool() ? try r.int() : nil
            let upper = try r.bool() ? try r.int() : nil
            return .range(lower: lower, upper: upper, closed: try r.bool())
        case .tensor: return .tensor(try reader.tensor(&r))
        case .module: return .module(try reader.module(try r.int()))
        case .declaredFunction:
            return try recorder.function(.init(cell: try r.int(), name: try r.string()))
        case .builtinFunction:
            let name = try r.string()
            guard let body = recorder.interpreter.library.functions[name] else { throw SnapshotCorrupt("no built-in '\(name)'") }
            return .function(BuiltinFunctionValue(name: name, body: body))
        case .typeConstructor:
            return .function(TypeConstructor(type: try recorder.type(.init(cell: try r.int(), name: try r.string()))))
        case .object:
            return .object(try reader.object(try r.int(), as: ScriptInstance.self))
        case .structInstance:
            let typeName = try r.string()
            var names: [String] = [], fields: [Value] = []
            for _ in 0..<(try r.count()) {
                names.append(try r.string())
                fields.append(try value(&r))
            }
            return .structInstance(StructInstance(typeName: typeName, fieldNames: names, fields: fields))
        case .native:
            guard let object = try reader.object(try r.int()) as? any NativeObject else { throw SnapshotCorrupt("not a native object") }
            return .native(object)
        case .implicitMember: return .implicitMember(try r.string())
        }
    }

    func object(kind: SnapshotArchiveWriter.Kind, id: Int, _ r: inout ByteReader) throws -> AnyObject {
        switch kind {
        case ScriptRecordKind.instance:
            let type = try recorder.type(.init(cell: try r.int(), name: try r.string()))
            let count = try r.count()
            guard count == type.fieldNames.count else { throw SnapshotCorrupt("'\(type.name)' has \(type.fieldNames.count) fields") }
            let instance = ScriptInstance(type: type, fields: Array(repeating: .void, count: count))
            reader.register(id, instance)
            for i in 0..<count { instance.fields[i] = try value(&r) }
            return instance
        case ScriptRecordKind.module:
            let type = try recorder.type(.init(cell: try r.int(), name: try r.string()))
            let training = try r.bool()
            let count = try r.count()
            guard count == type.fieldNames.count, type.isModule else { throw SnapshotCorrupt("'\(type.name)' does not match") }
            let module = ScriptModule(type: type, fields: Array(repeating: .void, count: count), interpreter: recorder.interpreter)
            module.isTraining = training
            reader.register(id, module)
            for _ in 0..<(try r.count(limit: count)) { module.markBuffer(try r.count(limit: count - 1)) }
            let parameterCount = try r.count(limit: count)
            for _ in 0..<parameterCount {
                let i = try r.count(limit: count - 1)
                let parameterID = try r.int()
                try module.setField(i, .tensor(Tensor(0)))
                guard let p = module.ownParameters.first(where: { $0.name == type.fieldNames[i] })?.parameter else {
                    throw SnapshotCorrupt("'\(type.name).\(type.fieldNames[i])' is not a parameter")
                }
                try reader.bind(parameter: p, to: parameterID)
            }
            for _ in 0..<(count - parameterCount) {
                let i = try r.count(limit: count - 1)
                try module.setField(i, try value(&r))
            }
            return module
        case ScriptRecordKind.optimizer:
            let optimizer = try reader.optimizer(try r.int())
            let typeName = try r.string()
            var settings: [(String, String)] = []
            for _ in 0..<(try r.count()) { settings.append((try r.string(), try r.string())) }
            return OptimizerObject(optimizer, typeName: typeName, settings: settings)
        case ScriptRecordKind.parameterList:
            return ParameterList(try (0..<(try r.count())).map { _ in try reader.parameter(try r.int()) })
        case ScriptRecordKind.dataset:
            let typeName = try r.string()
            return DatasetObject(try reader.dataset(&r, load: DatasetCache.shared.loadSplit), typeName: typeName)
        case ScriptRecordKind.dataLoader:
            let dataset = try reader.object(try r.int(), as: DatasetObject.self)
            let loader = try DataLoader(dataset.dataset, batchSize: try r.int(), shuffle: try r.bool(), dropLast: try r.bool())
            return DataLoaderObject(loader, dataset: dataset)
        default:
            throw SnapshotCorrupt("unknown record kind \(kind)")
        }
    }
}

extension DatasetCache {
    /// True when `dataset` is a split exactly as the cache read it (so a snapshot names it).
    func isPristine(_ dataset: any Dataset) -> Bool {
        switch dataset {
        case let f as FashionMNIST:
            guard let cached = try? load(key: "FashionMNIST|\(f.split.rawValue)|\(f.root)", { () -> FashionMNIST in
                throw SnapshotUnsupported("not cached")
            }) else { return false }
            return cached.images.sharesStorage(with: f.images) && cached.labels.sharesStorage(with: f.labels)
        case let m as MNIST:
            guard let cached = try? load(key: "MNIST|\(m.split.rawValue)|\(m.root)", { () -> MNIST in
                throw SnapshotUnsupported("not cached")
            }) else { return false }
            return cached.images.sharesStorage(with: m.images) && cached.labels.sharesStorage(with: m.labels)
        default:
            return false
        }
    }

    /// Reads (or finds) a split as `FashionMNIST(.train)` / `MNIST(root:, .train)` do.
    func loadSplit(_ name: String, _ split: DatasetSplit, _ root: String) throws -> any Dataset {
        if name == "MNIST" { return try load(key: "MNIST|\(split.rawValue)|\(root)") { try MNIST(split, root: root) } }
        return try load(key: "FashionMNIST|\(split.rawValue)|\(root)") { try FashionMNIST(split, root: root) }
    }
}
