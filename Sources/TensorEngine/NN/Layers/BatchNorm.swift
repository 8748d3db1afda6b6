/// Batch normalisation over dimension 1 (features or channels), like PyTorch's `_BatchNorm`.
///
/// `BatchNorm1d` and `BatchNorm2d` differ only in the input ranks they accept. Training mode
/// normalises with the batch statistics and updates the running ones (momentum 0.1 by
/// default; nil means a cumulative average, PyTorch's `momentum=None`); evaluation mode uses
/// the running statistics.
public class BatchNorm: Module {
    public let numFeatures: Int
    public let eps: Float
    public let momentum: Float?
    public let affine: Bool
    public let trackRunningStats: Bool
    let weightParameter: Parameter?
    let biasParameter: Parameter?
    /// The running mean used in evaluation mode (nil without `trackRunningStats`).
    public var runningMean: Tensor?
    /// The running (unbiased) variance used in evaluation mode.
    public var runningVar: Tensor?
    /// Training batches seen so far.
    public var numBatchesTracked = 0
    public var isTraining = true
    public let typeName: String
    private let acceptedRanks: [Int]

    init(typeName: String, acceptedRanks: [Int], numFeatures: Int, eps: Float, momentum: Float?,
         affine: Bool, trackRunningStats: Bool) throws {
        guard numFeatures > 0 else {
            throw TensorError("\(typeName): num_features must be positive, got \(numFeatures)")
        }
        self.typeName = typeName
        self.acceptedRanks = acceptedRanks
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        weightParameter = affine ? Parameter(try Tensor.ones([numFeatures])) : nil
        biasParameter = affine ? Parameter(try Tensor.zeros([numFeatures])) : nil
        runningMean = trackRunningStats ? try Tensor.zeros([numFeatures]) : nil
        runningVar = trackRunningStats ? try Tensor.ones([numFeatures]) : nil
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        guard acceptedRanks.contains(input.rank) else {
            let expected = acceptedRanks.map { "\($0)D" }.joined(separator: " or ")
            throw TensorError("\(typeName): expected \(expected) input (got \(input.rank)D input of shape \(shapeDescription(input.shape)))")
        }
        guard input.shape[1] == numFeatures else {
            throw TensorError("\(typeName): expected input with \(numFeatures) channels (dimension 1), got \(shapeDescription(input.shape))")
        }
        var factor = momentum ?? 0
        if isTraining && trackRunningStats && !input.isMeta {
            numBatchesTracked += 1
            if momentum == nil { factor = 1 / Float(numBatchesTracked) }
        }
        return try batchNorm(input, runningMean: &runningMean, runningVar: &runningVar,
                             weight: weightParameter?.value, bias: biasParameter?.value,
                             training: isTraining, momentum: factor, eps: eps)
    }

    /// γ [C], or nil without `affine`.
    public var weight: Tensor? {
        get { weightParameter?.value }
        set { if let newValue { weightParameter?.value = newValue } }
    }
    /// β [C], or nil without `affine`.
    public var bias: Tensor? {
        get { biasParameter?.value }
        set { if let newValue { biasParameter?.value = newValue } }
    }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        (weightParameter.map { [("weight", $0)] } ?? []) + (biasParameter.map { [("bias", $0)] } ?? [])
    }

    /// `runningMean` and `runningVar`, as PyTorch's `running_mean`/`running_var` buffers.
    public var ownBuffers: [(name: String, tensor: Tensor)] {
        (runningMean.map { [("runningMean", $0)] } ?? []) + (runningVar.map { [("runningVar", $0)] } ?? [])
    }

    public var extraDescription: String {
        let m = momentum.map { "\($0)" } ?? "None"
        return "\(numFeatures), eps=\(eps), momentum=\(m), affine=\(affine ? "True" : "False"), track_running_stats=\(trackRunningStats ? "True" : "False")"
    }
}

/// Batch normalisation of [N, C] or [N, C, L] inputs, like `nn.BatchNorm1d`.
public final class BatchNorm1d: BatchNorm {
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true) throws {
        try super.init(typeName: "BatchNorm1d", acceptedRanks: [2, 3], numFeatures: numFeatures, eps: eps,
                       momentum: momentum, affine: affine, trackRunningStats: trackRunningStats)
    }
}

/// Batch normalisation of [N, C, H, W] inputs per channel, like `nn.BatchNorm2d`.
public final class BatchNorm2d: BatchNorm {
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true) throws {
        try super.init(typeName: "BatchNorm2d", acceptedRanks: [4], numFeatures: numFeatures, eps: eps,
                       momentum: momentum, affine: affine, trackRunningStats: trackRunningStats)
    }
}
