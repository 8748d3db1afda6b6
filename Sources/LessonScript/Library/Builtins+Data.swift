import Foundation
import TensorEngine

/// A dataset as a cell value: `FashionMNIST(.train)`, `MNIST(root: "...", .test)`,
/// `TensorDataset(x, y)`, and what `prefix(_:)` and `normalized(mean:std:)` make of them.
/// `data.count`, `data[i]` (an `(image, label)` tuple), `for (image, label) in data`.
public final class DatasetObject: IterableNativeObject {
    public let dataset: any Dataset
    public let typeName: String

    public init(_ dataset: any Dataset, typeName: String) {
        self.dataset = dataset
        self.typeName = typeName
    }

    public var displayDescription: String {
        (dataset as? CustomStringConvertible)?.description ?? "\(typeName)(\(dataset.count) samples)"
    }

    func sample(_ index: Int) throws -> Value {
        let (image, label) = try dataset.sample(at: index)
        return .tuple([.tensor(image), .int(label)], labels: [nil, nil])
    }

    public func makeIterator(context: CallContext) throws -> () throws -> Value? {
        var index = 0
        let n = dataset.count
        return { [self] in
            guard index < n else { return nil }
            defer { index += 1 }
            return try sample(index)
        }
    }

    /// The type names a dataset value can have, for member registration.
    static let typeNames = ["FashionMNIST", "MNIST", "TensorDataset", "Subset", "NormalizedDataset"]
}

/// `DataLoader(data, batchSize: 64, shuffle: true)`: each `for (images, labels) in loader`
/// is one epoch of `([B, 1, 28, 28], [B])` batches, shuffled from the engine's seeded
/// generator. The loop reports its progress to the host (shown on the terminal only).
public final class DataLoaderObject: IterableNativeObject {
    public let loader: DataLoader
    public let datasetValue: DatasetObject
    public var typeName: String { "DataLoader" }

    init(_ loader: DataLoader, dataset: DatasetObject) {
        self.loader = loader
        self.datasetValue = dataset
    }

    public var displayDescription: String { loader.description }

    public func makeIterator(context: CallContext) throws -> () throws -> Value? {
        var iterator = loader.makeIterator()
        let total = loader.count
        let host = context.host
        let labels: [String?] = [nil, nil]
        return {
            guard let (inputs, targets) = try iterator.nextBatch() else { return nil }
            host.progress("DataLoader", completed: iterator.batchIndex, total: total)
            return .tuple([.tensor(inputs), .tensor(targets)], labels: labels)
        }
    }
}

/// `loader.enumerated()`: the batches of an iterable object numbered from 0, lazily, so
/// that `for (i, (x, y)) in loader.enumerated()` loads one batch at a time.
final class EnumeratedObject: IterableNativeObject {
    let base: any IterableNativeObject
    init(_ base: any IterableNativeObject) { self.base = base }
    var typeName: String { "EnumeratedSequence" }
    var displayDescription: String { "EnumeratedSequence(\(base.displayDescription))" }
    func makeIterator(context: CallContext) throws -> () throws -> Value? {
        let next = try base.makeIterator(context: context)
        var offset = 0
        return {
            guard let element = try next() else { return nil }
            defer { offset += 1 }
            return .tuple([.int(offset), element], labels: ["offset", "element"])
        }
    }
}

extension BuiltinLibrary {
    /// Datasets and loading: `FashionMNIST(.train)`, `MNIST(root:, .train)`, `TensorDataset`,
    /// `DataLoader`, and dataset members `count`, `classes`, `images`, `labels`, subscript,
    /// `prefix(n)` (the first n samples, for lessons that train on part of the data) and
    /// `normalized(mean:std:)`.
    static func registerData(_ library: BuiltinLibrary) {
        library.defineMethod(.native, "enumerated", typeName: "DataLoader") { receiver, arguments, _ in
            guard case .native(let loader as DataLoaderObject) = receiver else { throw Lib.noMember("enumerated", receiver) }
            _ = try ArgumentList(arguments, function: "enumerated", maxPositional: 0)
            return .native(EnumeratedObject(loader))
        }
        // A coin flip from the seeded generator, for hand-written augmentation.
        library.defineFunction("Bool.random") { arguments, _ in
            _ = try ArgumentList(arguments, function: "Bool.random()", maxPositional: 0)
            return .bool(RandomGenerator.global.nextInt(below: 2) == 1)
        }
        library.defineFunction("FashionMNIST") { arguments, _ in
            let args = try ArgumentList(arguments, function: "FashionMNIST", labels: ["root", "train"], maxPositional: 1)
            let split = try Lib.split(args, "FashionMNIST")
            let root = try args.string("root", default: FashionMNIST.defaultRoot) ?? FashionMNIST.defaultRoot
            let data = try DatasetCache.shared.load(key: "FashionMNIST|\(split.rawValue)|\(root)") { try FashionMNIST(split, root: root) }
            return .native(DatasetObject(data, typeName: "FashionMNIST"))
        }

        library.defineFunction("MNIST") { arguments, _ in
            let args = try ArgumentList(arguments, function: "MNIST", labels: ["root", "train"], maxPositional: 1)
            let split = try Lib.split(args, "MNIST")
            let root = try args.string("root")
            let data = try DatasetCache.shared.load(key: "MNIST|\(split.rawValue)|\(root)") { try MNIST(split, root: root) }
            return .native(DatasetObject(data, typeName: "MNIST"))
        }

        library.defineFunction("TensorDataset") { arguments, _ in
            let args = try ArgumentList(arguments, function: "TensorDataset", labels: ["classes"], maxPositional: 2)
            var classes: [String] = []
            if let c = args["classes"] {
                guard case .array(let items) = c else { throw args.wrongType("classes", expected: "an array of Strings", got: c) }
                classes = try items.map { try args.toString($0, "classes") }
            }
            let data = try TensorDataset(inputs: try args.tensor(0, "inputs"), labels: try args.tensor(1, "labels"), classes: classes)
            return .native(DatasetObject(data, typeName: "TensorDataset"))
        }

        library.defineFunction("DataLoader") { arguments, _ in
            let args = try ArgumentList(arguments, function: "DataLoader", labels: ["batchSize", "shuffle", "dropLast"], maxPositional: 1)
            let value = try args.value(0, "dataset")
            guard case .native(let d as DatasetObject) = value else {
                throw args.wrongType("dataset", expected: "a dataset (FashionMNIST(.train), TensorDataset(x, y), ...)", got: value)
            }
            let loader = try DataLoader(d.dataset, batchSize: try args.int("batchSize", default: 1),
                                        shuffle: try args.bool("shuffle", default: false), dropLast: try args.bool("dropLast", default: false))
            return .native(DataLoaderObject(loader, dataset: d))
        }

        registerDatasetMembers(library)

        library.defineProperty(.native, "count", typeName: "DataLoader", get: { receiver in
            guard case .native(let l as DataLoaderObject) = receiver else { throw Lib.noMember("count", receiver) }
            return .int(l.loader.count)
        })
        library.defineProperty(.native, "batchSize", typeName: "DataLoader", get: { receiver in
            guard case .native(let l as DataLoaderObject) = receiver else { throw Lib.noMember("batchSize", receiver) }
            return .int(l.loader.batchSize)
        })
        library.defineProperty(.native, "dataset", typeName: "DataLoader", get: { receiver in
            guard case .native(let l as DataLoaderObject) = receiver else { throw Lib.noMember("dataset", receiver) }
            return .native(l.datasetValue)
        })
    }

    private static func registerDatasetMembers(_ library: BuiltinLibrary) {
        for typeName in DatasetObject.typeNames {
            func property(_ name: String, _ get: @escaping (DatasetObject) throws -> Value) {
                library.defineProperty(.native, name, typeName: typeName, get: { receiver in
                    guard case .native(let d as DatasetObject) = receiver else { throw Lib.noMember(name, receiver) }
                    return try get(d)
                })
            }
            func method(_ name: String, _ body: @escaping (DatasetObject, [Argument]) throws -> Value) {
                library.defineMethod(.native, name, typeName: typeName) { receiver, arguments, _ in
                    guard case .native(let d as DatasetObject) = receiver else { throw Lib.noMember(name, receiver) }
                    return try body(d, arguments)
                }
            }
            property("count") { .int($0.dataset.count) }
            property("classes") { .array($0.dataset.classes.map(Value.string)) }
            property("images") { d in
                guard let images = Lib.storedTensors(d.dataset)?.images else {
                    throw ScriptRuntimeError("images: only an in-memory dataset has all its images at hand; use data[i] or a DataLoader")
                }
                return .tensor(images)
            }
            property("labels") { d in
                guard let labels = Lib.storedTensors(d.dataset)?.labels else {
                    throw ScriptRuntimeError("labels: only an in-memory dataset has all its labels at hand; use data[i] or a DataLoader")
                }
                return .tensor(labels)
            }
            method("subscript") { d, arguments in
                let v = try Lib.single(arguments, "dataset subscript")
                guard case .int(let i) = v else { throw ScriptRuntimeError("\(d.typeName): the index must be an Int, got \(Lib.typeName(v))") }
                return try d.sample(i)
            }
            method("prefix") { d, arguments in
                let args = try ArgumentList(arguments, function: "prefix", maxPositional: 1)
                let n = try args.int(0, "maxLength")
                guard n >= 0 else { throw ScriptRuntimeError("prefix: the length must not be negative, got \(n)") }
                return .native(DatasetObject(try d.dataset.subset(0..<Swift.min(n, d.dataset.count)), typeName: "Subset"))
            }
            method("normalized") { d, arguments in
                let args = try ArgumentList(arguments, function: "normalized", labels: ["mean", "std"], maxPositional: 0)
                let mean = try Lib.floats(try args.value("mean"), "mean"), std = try Lib.floats(try args.value("std"), "std")
                // In-memory datasets normalise their stored images once; others per batch.
                switch d.dataset {
                case let images as any IDXImageClassification: return .native(DatasetObject(try images.normalized(mean: mean, std: std), typeName: d.typeName))
                case let t as TensorDataset: return .native(DatasetObject(try t.normalized(mean: mean, std: std), typeName: d.typeName))
                default: return .native(DatasetObject(try d.dataset.normalized(mean: mean, std: std), typeName: "NormalizedDataset"))
                }
            }
        }
    }
}

/// Keeps each dataset split loaded once per process: lessons, cells and tests that ask for
/// `FashionMNIST(.train)` again share the decoded images (tensors are copy-on-write, so a
/// lesson that normalises its copy does not change the cached one).
final class DatasetCache: @unchecked Sendable {
    static let shared = DatasetCache()
    private var entries: [String: any Dataset] = [:]
    private let lock = NSLock()

    func load<D: Dataset>(key: String, _ make: () throws -> D) throws -> D {
        lock.lock()
        if let hit = entries[key] as? D { lock.unlock(); return hit }
        lock.unlock()
        let value = try make()
        lock.lock()
        entries[key] = value
        lock.unlock()
        return value
    }
}

extension Lib {
    /// `.train` / `.test` (or `train: true`).
    static func split(_ args: ArgumentList, _ function: String) throws -> DatasetSplit {
        if let train = args["train"] {
            if args[0] != nil { throw ScriptRuntimeError("\(function): give either .train/.test or train:, not both") }
            return try args.toBool(train, "train") ? .train : .test
        }
        let v = try args.value(0, "split")
        guard case .implicitMember(let name) = v, let split = DatasetSplit(rawValue: name) else {
            throw ScriptRuntimeError("\(function): the split must be .train or .test, got \(typeName(v))")
        }
        return split
    }

    static func storedTensors(_ dataset: any Dataset) -> (images: Tensor, labels: Tensor)? {
        switch dataset {
        case let images as any IDXImageClassification: return (images.images, images.labels)
        case let t as TensorDataset: return (t.inputs, t.labels)
        default: return nil
        }
    }
}
