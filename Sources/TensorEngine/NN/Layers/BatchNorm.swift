/// The state and behaviour shared by `BatchNorm1d` and `BatchNorm2d`.
public struct BatchNormState {
    public let numFeatures: Int
    public let eps: Float
    /// nil means a cumulative average of all batches seen (PyTorch's `momentum=None`).
    public let momentum: Float?
    public let affine: Bool
    public let trackRunningStats: Bool
    let weightParameter: Parameter?
    let biasParameter: Parameter?
    var runningMean: Tensor?
    var runningVar: Tensor?
    var numBatchesTracked = 0

    init(numFeatures: Int, eps: Float, momentum: Float?, affine: Bool, trackRunningStats: Bool, typeName: String) throws {
        guard numFeatures > 0 else {
            throw TensorError("\(typeName): num_features must be positive, got \(numFeatures)")
        }
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

    mutating func forward(_ input: Tensor, training: Bool) throws -> Tensor {
        var factor = momentum ?? 0
        if training && trackRunningStats && !input.isMeta {
            numBatchesTracked += 1
            if momentum == nil { factor = 1 / Float(numBatchesTracked) }
        }
        return try batchNorm(input, runningMean: &runningMean, runningVar: &runningVar,
                             weight: weightParameter?.value, bias: biasParameter?.value,
                             training: training, momentum: factor, eps: eps)
    }

    var ownParameters: [(name: String, parameter: Parameter)] {
        (weightParameter.map { [("weight", $0)] } ?? []) + (biasParameter.map { [("bias", $0)] } ?? [])
    }

    var extraDescription: String {
        let m = momentum.map { "\($0)" } ?? "None"
        return "\(numFeatures), eps=\(eps), momentum=\(m), affine=\(affine ? "True" : "False"), track_running_stats=\(trackRunningStats ? "True" : "False")"
    }

    func checkChannels(_ input: Tensor, typeName: String) throws {
        if input.rank >= 2 && input.shape[1] != numFeatures {
            throw TensorError("\(typeName): expected input with \(numFeatures) channels (dimension 1), got \(shapeDescription(input.shape))")
        }
    }
}

/// Batch normalisation of [N, C] or [N, C, L] inputs, like `nn.BatchNorm1d`.
public final class BatchNorm1d: Module {
    var state: BatchNormState
    public var isTraining = true

    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true) throws {
        state = try BatchNormState(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                                   trackRunningStats: trackRunningStats, typeName: "BatchNorm1d")
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 2 || input.rank == 3 else {
            throw TensorError("BatchNorm1d: expected 2D or 3D input (got \(input.rank)D input of shape \(shapeDescription(input.shape)))")
        }
        try state.checkChannels(input, typeName: typeName)
        return try state.forward(input, training: isTraining)
    }

    public var numFeatures: Int { state.numFeatures }
    /// γ [C], or nil without `affine`.
    public var weight: Tensor? {
        get { state.weightParameter?.value }
        set { if let newValue { state.weightParameter?.value = newValue } }
    }
    /// β [C], or nil without `affine`.
    public var bias: Tensor? {
        get { state.biasParameter?.value }
        set { if let newValue { state.biasParameter?.value = newValue } }
    }
    /// The running mean used in evaluation mode (nil without `trackRunningStats`).
    public var runningMean: Tensor? {
        get { state.runningMean }
        set { state.runningMean = newValue }
    }
    /// The running (unbiased) variance used in evaluation mode.
    public var runningVar: Tensor? {
        get { state.runningVar }
        set { state.runningVar = newValue }
    }
    /// Training batches seen so far.
    public var numBatchesTracked: Int {
        get { state.numBatchesTracked }
        set { state.numBatchesTracked = newValue }
    }

    public var ownParameters: [(name: String, parameter: Parameter)] { state.ownParameters }
    public var typeName: String { "BatchNorm1d" }
    public var extraDescription: String { state.extraDescription }
}

/// Batch normalisation of [N, C, H, W] inputs per channel, like `nn.BatchNorm2d`.
public final class BatchNorm2d: Module {
    var state: BatchNormState
    public var isTraining = true

    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true) throws {
        state = try BatchNormState(numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                                   trackRunningStats: trackRunningStats, typeName: "BatchNorm2d")
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank == 4 else {
            throw TensorError("BatchNorm2d: expected 4D input (got \(input.rank)D input of shape \(shapeDescription(input.shape)))")
        }
        try state.checkChannels(input, typeName: typeName)
        return try state.forward(input, training: isTraining)
    }

    public var numFeatures: Int { state.numFeatures }
    /// γ [C], or nil without `affine`.
    public var weight: Tensor? {
        get { state.weightParameter?.value }
        set { if let newValue { state.weightParameter?.value = newValue } }
    }
    /// β [C], or nil without `affine`.
    public var bias: Tensor? {
        get { state.biasParameter?.value }
        set { if let newValue { state.biasParameter?.value = newValue } }
    }
    /// The running mean used in evaluation mode (nil without `trackRunningStats`).
    public var runningMean: Tensor? {
        get { state.runningMean }
        set { state.runningMean = newValue }
    }
    /// The running (unbiased) variance used in evaluation mode.
    public var runningVar: Tensor? {
        get { state.runningVar }
        set { state.runningVar = newValue }
    }
    /// Training batches seen so far.
    public var numBatchesTracked: Int {
        get { state.numBatchesTracked }
        set { state.numBatchesTracked = newValue }
    }

    public var ownParameters: [(name: String, parameter: Parameter)] { state.ownParameters }
    public var typeName: String { "BatchNorm2d" }
    public var extraDescription: String { state.extraDescription }
}
