import Foundation

/// A learning-rate schedule: `step()` once per epoch sets the optimiser's learning rate for
/// the next one, as PyTorch's `lr_scheduler` classes do.
public protocol LearningRateScheduler: AnyObject {
    var optimizer: any Optimizer { get }
    /// Epochs stepped so far (PyTorch's `last_epoch`).
    var epoch: Int { get }
    /// Advances one epoch and sets the optimiser's learning rate.
    func step()
}

/// `StepLR`: the learning rate times `gamma` every `stepSize` epochs:
/// lr = base · gamma^⌊epoch / stepSize⌋ (PyTorch's closed form).
public final class StepLR: LearningRateScheduler {
    public let optimizer: any Optimizer
    public let stepSize: Int
    public let gamma: Double
    public let baseLearningRate: Double
    public private(set) var epoch = 0

    public init(_ optimizer: any Optimizer, stepSize: Int, gamma: Double = 0.1) throws {
        guard stepSize > 0 else { throw TensorError("StepLR: step_size must be positive, got \(stepSize)") }
        self.optimizer = optimizer
        self.stepSize = stepSize
        self.gamma = gamma
        baseLearningRate = decimalLearningRate(optimizer)
    }

    public func step() {
        epoch += 1
        optimizer.learningRate = Float(baseLearningRate * Foundation.pow(gamma, Double(epoch / stepSize)))
    }
}

/// `CosineAnnealingLR`: lr = ηmin + (base − ηmin) · (1 + cos(π · epoch / tMax)) / 2, PyTorch's
/// closed form (computed in Double, then stored as the optimiser's Float).
public final class CosineAnnealingLR: LearningRateScheduler {
    public let optimizer: any Optimizer
    public let tMax: Int
    public let etaMin: Double
    public let baseLearningRate: Double
    public private(set) var epoch = 0

    public init(_ optimizer: any Optimizer, tMax: Int, etaMin: Double = 0) throws {
        guard tMax > 0 else { throw TensorError("CosineAnnealingLR: T_max must be positive, got \(tMax)") }
        self.optimizer = optimizer
        self.tMax = tMax
        self.etaMin = etaMin
        baseLearningRate = decimalLearningRate(optimizer)
    }

    public func step() {
        epoch += 1
        let phase = Double.pi * Double(epoch) / Double(tMax)
        optimizer.learningRate = Float(etaMin + (baseLearningRate - etaMin) * (1 + cos(phase)) / 2)
    }
}

/// The optimiser's Float learning rate as the decimal it was written as (0.1, not
/// 0.10000000149): PyTorch keeps a group's lr as a double, so schedules start from that.
func decimalLearningRate(_ optimizer: any Optimizer) -> Double {
    Double(optimizer.learningRate.description) ?? Double(optimizer.learningRate)
}
