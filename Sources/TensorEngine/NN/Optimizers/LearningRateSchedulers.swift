import Foundation

/// A learning-rate schedule, as PyTorch's `lr_scheduler` classes: `step()` once per epoch
/// sets the optimiser's learning rate for the next one from the base rate and the epoch count,
/// by the schedule's closed form (in Double, then stored as the optimiser's Float).
public final class LearningRateSchedule {
    /// PyTorch's name for it: `StepLR`, `CosineAnnealingLR`.
    public let name: String
    public let optimizer: any Optimizer
    /// The optimiser's learning rate when the schedule was made, as the decimal it was
    /// written as (0.1, not 0.10000000149): PyTorch keeps a group's rate as a double.
    public let baseLearningRate: Double
    /// Epochs stepped so far (PyTorch's `last_epoch`).
    public private(set) var epoch = 0
    private let rate: (_ base: Double, _ epoch: Int) -> Double

    private init(_ name: String, _ optimizer: any Optimizer, rate: @escaping (Double, Int) -> Double) {
        self.name = name
        self.optimizer = optimizer
        self.rate = rate
        baseLearningRate = optimizer.learningRate.shortestDecimal
    }

    /// Advances one epoch and sets the optimiser's learning rate.
    public func step() {
        epoch += 1
        optimizer.learningRate = Float(rate(baseLearningRate, epoch))
    }

    /// `StepLR`: the rate times `gamma` every `stepSize` epochs: base · gamma^⌊epoch / stepSize⌋.
    public static func step(_ optimizer: any Optimizer, stepSize: Int, gamma: Double = 0.1) throws -> LearningRateSchedule {
        guard stepSize > 0 else { throw TensorError("StepLR: step_size must be positive, got \(stepSize)") }
        return LearningRateSchedule("StepLR", optimizer) { base, epoch in base * Foundation.pow(gamma, Double(epoch / stepSize)) }
    }

    /// `CosineAnnealingLR`: ηmin + (base − ηmin) · (1 + cos(π · epoch / tMax)) / 2.
    public static func cosineAnnealing(_ optimizer: any Optimizer, tMax: Int, etaMin: Double = 0) throws -> LearningRateSchedule {
        guard tMax > 0 else { throw TensorError("CosineAnnealingLR: T_max must be positive, got \(tMax)") }
        return LearningRateSchedule("CosineAnnealingLR", optimizer) { base, epoch in
            etaMin + (base - etaMin) * (1 + cos(Double.pi * Double(epoch) / Double(tMax))) / 2
        }
    }
}

extension Float {
    /// The Double of the shortest decimal that reads back as this Float: a learning rate
    /// written 0.01 is 0.01, not 0.009999999776.
    public var shortestDecimal: Double { Double(description) ?? Double(self) }
}
