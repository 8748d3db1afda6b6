extension Tensor {
    /// Zeroes each element with probability `p` and scales the rest by 1/(1 − p), in training
    /// only (`training: false` returns the input unchanged), like `F.dropout`. The mask is drawn
    /// from `RandomGenerator.global`, so `manualSeed` makes it reproducible.
    public func dropout(p: Float = 0.5, training: Bool = true) throws -> Tensor {
        guard p >= 0, p <= 1 else {
            throw TensorError("dropout: dropout probability has to be between 0 and 1, but got \(p)")
        }
        if !training || p == 0 { return self }
        if isMeta { return try Tensor(metaShape: shape) }
        let n = count
        let mask = try Tensor(uninitializedShape: shape)
        let scale: Float = p == 1 ? 0 : 1 / (1 - p)
        var generator = RandomGenerator.global
        let m = mask.storage.pointer
        for i in 0..<n { m[i] = generator.nextFloat() < p ? 0 : scale }
        RandomGenerator.global = generator
        let output = try Tensor(uninitializedShape: shape)
        let x = storage.pointer, y = output.storage.pointer
        for i in 0..<n { y[i] = x[i] * m[i] }
        return output.tracked("DropoutBackward", inputs: [self]) { g in
            let dx = try Tensor(uninitializedShape: mask.shape)
            let gp = g.storage.pointer, dp = dx.storage.pointer
            for i in 0..<n { dp[i] = gp[i] * m[i] }
            return [dx]
        }
    }
}
