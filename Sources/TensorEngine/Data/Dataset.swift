import Foundation

/// A labelled collection of samples, like `torch.utils.data.Dataset` for classification.
///
/// A conforming type gives the number of samples and one sample by index; `batch` has a
/// default that gathers samples one by one, and in-memory datasets override it with a
/// copy of contiguous rows. Labels are class indices.
public protocol Dataset {
    /// The number of samples.
    var count: Int { get }
    /// Class names, indexed by label (empty when the dataset has none).
    var classes: [String] { get }
    /// The sample at `index` (negative indices count from the end): its input tensor and
    /// its class label.
    func sample(at index: Int) throws -> (input: Tensor, label: Int)
    /// The samples at `indices` stacked along a new first dimension, with their labels as
    /// an `.int64` tensor of shape `[indices.count]`.
    func batch(at indices: [Int]) throws -> (inputs: Tensor, labels: Tensor)
}

extension Dataset {
    public var classes: [String] { [] }

    /// Gathers samples one at a time; every sample must have the same shape.
    public func batch(at indices: [Int]) throws -> (inputs: Tensor, labels: Tensor) {
        try gatherSamples(self, indices)
    }

    /// The samples in `range`: `data.subset(0..<1000)`, so that a lesson can train on a
    /// documented part of a large set.
    public func subset(_ range: Range<Int>) throws -> DatasetSubset {
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw TensorError("subset: range \(range.lowerBound)..<\(range.upperBound) is out of bounds for a dataset of \(count) samples")
        }
        return DatasetSubset(base: self, indices: Array(range))
    }

    /// The samples at `indices`, in that order.
    public func subset(indices: [Int]) throws -> DatasetSubset {
        for i in indices where !(0..<count).contains(i) {
            throw TensorError("subset: index \(i) is out of bounds for a dataset of \(count) samples")
        }
        return DatasetSubset(base: self, indices: indices)
    }

    /// The class name of `label`, or the label itself when the dataset has no names.
    public func className(_ label: Int) -> String {
        classes.indices.contains(label) ? classes[label] : String(label)
    }
}

/// Resolves a possibly negative sample index against `count`, or throws naming `dataset`.
func resolveSampleIndex(_ index: Int, count: Int, dataset: String) throws -> Int {
    let resolved = index < 0 ? index + count : index
    guard resolved >= 0, resolved < count else {
        throw TensorError("\(dataset): index \(index) is out of range for \(count) samples")
    }
    return resolved
}

/// The general batch path: one `sample(at:)` per index, copied into one tensor.
func gatherSamples(_ dataset: some Dataset, _ indices: [Int]) throws -> (inputs: Tensor, labels: Tensor) {
    guard let first = indices.first else {
        throw TensorError("batch: expected at least one index, got none")
    }
    let head = try dataset.sample(at: first)
    let sampleShape = head.input.shape
    let sampleSize = head.input.count
    let inputs = try Tensor(uninitializedShape: [indices.count] + sampleShape, dtype: head.input.dtype)
    let labels = try Tensor(uninitializedShape: [indices.count], dtype: .int64)
    for (row, index) in indices.enumerated() {
        let (input, label) = row == 0 ? head : try dataset.sample(at: index)
        guard input.shape == sampleShape else {
            throw TensorError("batch: sample \(index) has shape \(shapeDescription(input.shape)), "
                + "but sample \(first) has \(shapeDescription(sampleShape)); all samples of a batch must have one shape")
        }
        if !input.isMeta {
            input.withUnsafeBufferPointer { src in
                (inputs.storage.pointer + row * sampleSize).update(from: src.baseAddress!, count: sampleSize)
            }
        }
        labels.storage.pointer[row] = Float(label)
    }
    return (inputs, labels)
}

/// A dataset whose samples all live in two tensors: `inputs` `[N, ...]` and `labels` `[N]`.
///
/// Batches are copied row by row with `memcpy` (one copy for a run of consecutive indices),
/// which is what makes a shuffled epoch over 60 000 images cheap.
public struct TensorDataset: Dataset, CustomStringConvertible {
    /// All inputs, `[N, ...]`, contiguous.
    public private(set) var inputs: Tensor
    /// All labels, `[N]`, `.int64`.
    public private(set) var labels: Tensor
    public var classes: [String]
    /// The name shown in messages and descriptions.
    public var name: String

    /// Pairs `inputs` `[N, ...]` with `labels` `[N]` (whole numbers, stored as `.int64`).
    public init(inputs: Tensor, labels: Tensor, classes: [String] = [], name: String = "TensorDataset") throws {
        guard inputs.rank >= 1 else {
            throw TensorError("\(name): expected inputs with a first (sample) dimension, got shape \(shapeDescription(inputs.shape))")
        }
        guard labels.shape == [inputs.shape[0]] else {
            throw TensorError("\(name): expected labels of shape [\(inputs.shape[0])] for inputs of shape "
                + "\(shapeDescription(inputs.shape)), got \(shapeDescription(labels.shape))")
        }
        if !labels.isMeta {
            try labels.withUnsafeBufferPointer { values in
                for (i, v) in values.enumerated() where !Self.isClassIndex(v, classCount: classes.count) {
                    throw TensorError("\(name): label \(v) at index \(i) is not a class index"
                        + (classes.isEmpty ? "" : " in 0..<\(classes.count)"))
                }
            }
        }
        self.inputs = inputs.detach()
        self.labels = labels.detach()
        self.labels.dtype = .int64
        self.classes = classes
        self.name = name
    }

    /// A whole number ≥ 0, below `classCount` when the classes are named (NaN and infinity are not).
    static func isClassIndex(_ v: Float, classCount: Int) -> Bool {
        guard let i = v.exactInt, i >= 0 else { return false }
        return classCount == 0 || i < classCount
    }

    public var count: Int { inputs.shape[0] }
    /// The shape of one sample: `[1, 28, 28]`.
    public var sampleShape: [Int] { Array(inputs.shape.dropFirst()) }

    public func sample(at index: Int) throws -> (input: Tensor, label: Int) {
        let i = try resolveSampleIndex(index, count: count, dataset: name)
        let batch = try self.batch(at: [i])
        return (batch.inputs.withShape(sampleShape), Int(labels.storage.pointer[i]))
    }

    public func batch(at indices: [Int]) throws -> (inputs: Tensor, labels: Tensor) {
        guard !indices.isEmpty else { throw TensorError("\(name): a batch needs at least one index") }
        let n = count
        let resolved = try indices.map { try resolveSampleIndex($0, count: n, dataset: name) }
        let rowSize = sampleShape.reduce(1, *)
        let batchInputs = try Tensor(uninitializedShape: [resolved.count] + sampleShape, dtype: inputs.dtype)
        let batchLabels = try Tensor(uninitializedShape: [resolved.count], dtype: .int64)
        let src = inputs.storage.pointer, dst = batchInputs.storage.pointer
        let labelSrc = labels.storage.pointer, labelDst = batchLabels.storage.pointer
        var row = 0
        while row < resolved.count {
            // Copy each run of consecutive indices (a whole unshuffled batch) in one go.
            var run = 1
            while row + run < resolved.count && resolved[row + run] == resolved[row] + run { run += 1 }
            if !inputs.isMeta {
                (dst + row * rowSize).update(from: src + resolved[row] * rowSize, count: run * rowSize)
                (labelDst + row).update(from: labelSrc + resolved[row], count: run)
            }
            row += run
        }
        return (batchInputs, batchLabels)
    }

    /// Normalises the inputs in place, per channel (dimension 1 of `[N, C, ...]`).
    public mutating func normalize(mean: [Float], std: [Float]) throws {
        inputs = try inputs.normalized(mean: mean, std: std, channelAxis: 1)
    }

    /// A copy with normalised inputs (see `Tensor.normalized(mean:std:)`).
    public func normalized(mean: [Float], std: [Float]) throws -> TensorDataset {
        var copy = self
        try copy.normalize(mean: mean, std: std)
        return copy
    }

    public var description: String {
        "\(name)(\(count) samples of shape \(shapeDescription(sampleShape))\(classes.isEmpty ? "" : ", \(classes.count) classes"))"
    }
}

/// Part of another dataset, in the order of `indices`.
public struct DatasetSubset: Dataset, CustomStringConvertible {
    public let base: any Dataset
    /// Indices into `base`.
    public let indices: [Int]

    public var count: Int { indices.count }
    public var classes: [String] { base.classes }

    public func sample(at index: Int) throws -> (input: Tensor, label: Int) {
        let i = try resolveSampleIndex(index, count: count, dataset: "subset")
        return try base.sample(at: indices[i])
    }

    public func batch(at batchIndices: [Int]) throws -> (inputs: Tensor, labels: Tensor) {
        let n = count
        return try base.batch(at: batchIndices.map { indices[try resolveSampleIndex($0, count: n, dataset: "subset")] })
    }

    public var description: String { "Subset(\(count) of \(base.count) samples)" }
}
