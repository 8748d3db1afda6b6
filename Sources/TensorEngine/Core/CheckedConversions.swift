/// Conversions of user-controlled numbers that must never trap: floats to integers (NaN,
/// infinity and values beyond Int's range are reported, not converted) and products of
/// sizes (an overflow is reported, not wrapped).
extension BinaryFloatingPoint {
    /// The value rounded toward zero as an Int, or nil when it is NaN, infinite or outside
    /// Int's range.
    public var truncatedInt: Int? {
        guard isFinite else { return nil }
        let t = rounded(.towardZero)
        // 2^63 is exactly representable; Int.max is not, so compare with the power of two.
        guard t >= -0x1p63, t < 0x1p63 else { return nil }
        return Int(t)
    }

    /// The value as an Int when it is a whole number in Int's range, else nil.
    public var exactInt: Int? {
        guard let i = truncatedInt, Self(i) == self else { return nil }
        return i
    }
}

extension Int {
    /// The product, or `Int.max` when it overflows: for totals that are only shown (a
    /// summary's multiply–accumulate count), where a saturated figure is still honest.
    public func saturatingMultiplied(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        if overflow { return (self < 0) == (other < 0) ? .max : .min }
        return product
    }

    /// The sum, or `Int.max`/`Int.min` when it overflows.
    public func saturatingAdding(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        if overflow { return other > 0 ? .max : .min }
        return sum
    }
}

/// The product of sizes, or an error naming `operation` when it does not fit an Int.
func checkedProduct(_ sizes: [Int], operation: String) throws -> Int {
    var total = 1
    for s in sizes {
        let (product, overflow) = total.multipliedReportingOverflow(by: s)
        if overflow { throw TensorError("\(operation): the size \(sizes.map(String.init).joined(separator: " × ")) does not fit in a 64-bit integer") }
        total = product
    }
    return total
}

/// A number written into an integer tensor: rounded toward zero as PyTorch does, an error
/// for NaN and infinity (which no integer holds).
func integerElement(_ value: Float, operation: String) throws -> Float {
    guard value.isFinite else {
        throw TensorError("\(operation): cannot convert \(value) to an integer",
                          suggestion: "check the computation for a division by zero or an overflow before converting")
    }
    return value.rounded(.towardZero)
}

extension Tensor {
    /// The tensor with elements of `dtype`: to int64 rounds toward zero (an error for NaN or
    /// infinity), to bool is `!= 0`. Not tracked by autograd.
    public func converted(to dtype: DType) throws -> Tensor {
        if self.dtype == dtype { return self }
        if isMeta { return try Tensor(metaShape: shape, dtype: dtype) }
        switch dtype {
        case .float32:
            var copy = detach()
            copy.dtype = .float32
            return copy
        case .bool:
            return try detach().map(dtype: .bool) { $0 != 0 ? 1 : 0 }
        case .int64:
            let result = try Tensor(uninitializedShape: shape, dtype: .int64)
            let source = storage.pointer, target = result.storage.pointer
            for i in 0..<count { target[i] = try integerElement(source[i], operation: "long") }
            return result
        }
    }
}
