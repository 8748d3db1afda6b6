import Foundation

/// The engine's own random number generator (xoshiro256**, seeded through SplitMix64).
///
/// All randomness in the engine — `rand`, `randn`, `randint`, initialisation, dropout,
/// shuffling — draws from `RandomGenerator.global`, so `manualSeed(n)` makes every result
/// identical on every machine and every run. The state is a plain value: it can be saved
/// and restored (`state`), which snapshots rely on.
public struct RandomGenerator: Sendable, Equatable, Codable {
    public var state: [UInt64]
    /// A second normal deviate left over from the last Box–Muller pair.
    public var spareNormal: Double?

    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = [splitMix(), splitMix(), splitMix(), splitMix()]
        spareNormal = nil
    }

    /// The generator every engine function uses.
    nonisolated(unsafe) public static var global = RandomGenerator(seed: 0)

    public mutating func nextUInt64() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits, exactly representable as Float32.
    public mutating func nextFloat() -> Float {
        Float(nextUInt64() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal deviate (Box–Muller).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal { spareNormal = nil; return spare }
        var u1 = nextDouble()
        while u1 <= 0 { u1 = nextDouble() }
        let u2 = nextDouble()
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        spareNormal = radius * Foundation.sin(2 * Double.pi * u2)
        return radius * Foundation.cos(2 * Double.pi * u2)
    }

    /// Uniform integer in `0..<bound` without modulo bias.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        let threshold = (0 &- b) % b
        while true {
            let r = nextUInt64()
            if r >= threshold { return Int(r % b) }
        }
    }
}

/// Seeds the engine's generator, like `torch.manual_seed`.
public func manualSeed(_ seed: Int) {
    RandomGenerator.global = RandomGenerator(seed: UInt64(bitPattern: Int64(seed)))
}
