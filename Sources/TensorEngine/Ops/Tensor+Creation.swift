extension Tensor {
    /// A tensor of `shape` filled with `value`.
    public static func full(_ shape: [Int], _ value: Float, dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor(uninitializedShape: shape, dtype: dtype)
        t.storage.pointer.initialize(repeating: value, count: t.count)
        return t
    }

    /// A tensor of zeros, like `torch.zeros`.
    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor { try full(shape, 0, dtype: dtype) }

    /// A tensor of ones, like `torch.ones`.
    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor { try full(shape, 1, dtype: dtype) }
}
