import Foundation

// Normalisation with a given mean and standard deviation, like torchvision's
// `transforms.Normalize(mean, std)`, for one tensor, a batch or a whole dataset.

extension Tensor {
    /// `(x − mean[c]) / std[c]` for each channel `c`.
    ///
    /// With one mean and one std the whole tensor is normalised. With several, they are
    /// per channel along `channelAxis`, which defaults to 0 for a `[C, H, W]` sample and
    /// to 1 for a `[N, C, H, W]` batch. Gradients flow through it (it is affine).
    public func normalized(mean: [Float], std: [Float], channelAxis: Int? = nil) throws -> Tensor {
        guard !mean.isEmpty, mean.count == std.count else {
            throw TensorError("normalize: expected as many means as standard deviations (at least one), got \(mean.count) and \(std.count)")
        }
        if let bad = std.first(where: { !($0 > 0) }) {
            throw TensorError("normalize: standard deviation must be positive, got \(bad)")
        }
        // One channel covers everything; otherwise the channels sit along `axis`.
        var axis = 0, channels = 1, inner = count
        if mean.count > 1 {
            axis = channelAxis ?? (rank >= 4 ? 1 : 0)
            guard axis >= 0, axis < rank else {
                throw TensorError("normalize: channel dimension \(axis) is out of range for a tensor of shape \(shapeDescription(shape))")
            }
            channels = shape[axis]
            guard channels == mean.count else {
                throw TensorError("normalize: \(mean.count) means for \(channels) channels (dimension \(axis) of \(shapeDescription(shape)))")
            }
            inner = shape[(axis + 1)...].reduce(1, *)
        }
        if isMeta { return try Tensor(metaShape: shape) }
        let result = try Tensor(uninitializedShape: shape)
        let src = storage.pointer, dst = result.storage.pointer
        let blocks = channels == 1 ? 1 : count / Swift.max(channels * inner, 1)
        for block in 0..<blocks {
            for c in 0..<channels {
                let m = mean[c], scale = 1 / std[c]
                let base = (block * channels + c) * inner
                for i in base..<(base + inner) { dst[i] = (src[i] - m) * scale }
            }
        }
        let stdCopy = std
        return result.tracked("NormalizeBackward", inputs: [self]) { g in
            [try g.normalized(mean: [Float](repeating: 0, count: stdCopy.count), std: stdCopy, channelAxis: axis)]
        }
    }

    /// `(x − mean) / std` over the whole tensor.
    public func normalized(mean: Float, std: Float) throws -> Tensor {
        try normalized(mean: [mean], std: [std])
    }
}

/// Another dataset with every sample normalised as it is read.
///
/// In-memory datasets (`FashionMNIST`, `MNIST`, `TensorDataset`) have their own
/// `normalized(mean:std:)` that normalises the stored images once instead.
public struct NormalizedDataset: Dataset, CustomStringConvertible {
    public let base: any Dataset
    public let mean: [Float]
    public let std: [Float]

    public var count: Int { base.count }
    public var classes: [String] { base.classes }

    public func sample(at index: Int) throws -> (input: Tensor, label: Int) {
        let (input, label) = try base.sample(at: index)
        return (try input.normalized(mean: mean, std: std, channelAxis: 0), label)
    }

    public func batch(at indices: [Int]) throws -> (inputs: Tensor, labels: Tensor) {
        let (inputs, labels) = try base.batch(at: indices)
        return (try inputs.normalized(mean: mean, std: std, channelAxis: 1), labels)
    }

    public var description: String {
        "Normalize(mean=\(mean), std=\(std)) of \(base)"
    }
}

extension Dataset {
    /// The dataset with each sample normalised per channel: `(x − mean[c]) / std[c]`.
    public func normalized(mean: [Float], std: [Float]) throws -> NormalizedDataset {
        guard !mean.isEmpty, mean.count == std.count else {
            throw TensorError("normalize: expected as many means as standard deviations (at least one), got \(mean.count) and \(std.count)")
        }
        if let bad = std.first(where: { !($0 > 0) }) {
            throw TensorError("normalize: standard deviation must be positive, got \(bad)")
        }
        return NormalizedDataset(base: self, mean: mean, std: std)
    }
}
