import Foundation

// Elementwise arithmetic with broadcasting. Each operation's backward sits beside its forward.

extension Tensor {
    /// Applies `f` to every pair of broadcast elements.
    ///
    /// The hot cases are plain loops over pointers, which the compiler vectorises once `f` is
    /// inlined: equal shapes (one pass), a one-element operand on either side (a scalar held in
    /// a register), and broadcasting, which `forEachBroadcastOffset` turns into long runs that
    /// are either contiguous on both sides or contiguous against one repeated value (a bias).
    @inline(__always)
    static func zipMap(_ a: Tensor, _ b: Tensor, _ operation: String, dtype: DType = .float32,
                       _ f: (Float, Float) -> Float) throws -> Tensor {
        let shape = a.shape == b.shape ? a.shape : try broadcastShapes(a.shape, b.shape, operation: operation)
        if a.isMeta || b.isMeta { return try Tensor(metaShape: shape, dtype: dtype) }
        let result = try Tensor(uninitializedShape: shape, dtype: dtype)
        let pa = UnsafePointer(a.storage.pointer), pb = UnsafePointer(b.storage.pointer), out = result.storage.pointer
        let n = result.count
        let countA = a.count, countB = b.count
        if countA == n && countB == n {
            // Equal element counts after broadcasting means equal layouts (only 1s differ).
            for i in 0..<n { out[i] = f(pa[i], pb[i]) }
        } else if countB == 1 {
            let s = pb[0]
            for i in 0..<n { out[i] = f(pa[i], s) }
        } else if countA == 1 {
            let s = pa[0]
            for i in 0..<n { out[i] = f(s, pb[i]) }
        } else {
            let sa = broadcastStrides(of: a.shape, to: shape), sb = broadcastStrides(of: b.shape, to: shape)
            forEachBroadcastOffset(shape: shape, stridesA: sa, stridesB: sb) { index, offA, offB, count, isa, isb in
                let o = out + index, x = pa + offA, y = pb + offB
                if isa == 1 && isb == 1 {
                    for k in 0..<count { o[k] = f(x[k], y[k]) }
                } else if isa == 1 && isb == 0 {
                    let s = y[0]
                    for k in 0..<count { o[k] = f(x[k], s) }
                } else if isa == 0 && isb == 1 {
                    let s = x[0]
                    for k in 0..<count { o[k] = f(s, y[k]) }
                } else {
                    for k in 0..<count { o[k] = f(x[k * isa], y[k * isb]) }
                }
            }
        }
        return result
    }

    /// Applies `f` to every element.
    @inline(__always)
    func map(dtype: DType? = nil, _ f: (Float) -> Float) throws -> Tensor {
        if isMeta { return try Tensor(metaShape: shape, dtype: dtype ?? self.dtype) }
        let result = try Tensor(uninitializedShape: shape, dtype: dtype ?? self.dtype)
        let src = UnsafePointer(storage.pointer), out = result.storage.pointer
        let n = count
        for i in 0..<n { out[i] = f(src[i]) }
        return result
    }

    /// Adds `other` into this tensor, in place when the storage is not shared and the shapes
    /// are equal (the accumulation of gradients), otherwise as `self + other`. Not tracked.
    mutating func addInPlace(_ other: Tensor) throws {
        guard shape == other.shape, !isMeta, !other.isMeta else {
            self = try (self + other).detach()
            return
        }
        try makeUnique()
        let p = storage.pointer, q = UnsafePointer(other.storage.pointer)
        let n = count
        for i in 0..<n { p[i] += q[i] }
        if other.dtype == .float32 { dtype = .float32 }
    }

    static func arithmeticType(_ a: Tensor, _ b: Tensor) -> DType {
        a.dtype != .float32 && b.dtype != .float32 ? .int64 : .float32
    }

    // MARK: Binary arithmetic

    public static func + (a: Tensor, b: Tensor) throws -> Tensor {
        try zipMap(a, b, "add", dtype: arithmeticType(a, b), +)
            .tracked("AddBackward", inputs: [a, b]) { g in
                [try g.sum(toShape: a.shape), try g.sum(toShape: b.shape)]
            }
    }

    public static func - (a: Tensor, b: Tensor) throws -> Tensor {
        try zipMap(a, b, "sub", dtype: arithmeticType(a, b), -)
            .tracked("SubBackward", inputs: [a, b]) { g in
                [try g.sum(toShape: a.shape), try (-g).sum(toShape: b.shape)]
            }
    }

    public static func * (a: Tensor, b: Tensor) throws -> Tensor {
        try zipMap(a, b, "mul", dtype: arithmeticType(a, b), *)
            .tracked("MulBackward", inputs: [a, b]) { g in
                [a.gradNode == nil ? nil : try (g * b.detach()).sum(toShape: a.shape),
                 b.gradNode == nil ? nil : try (g * a.detach()).sum(toShape: b.shape)]
            }
    }

    public static func / (a: Tensor, b: Tensor) throws -> Tensor {
        try zipMap(a, b, "div", /)
            .tracked("DivBackward", inputs: [a, b]) { g in
                let bd = b.detach()
                return [a.gradNode == nil ? nil : try (g / bd).sum(toShape: a.shape),
                        b.gradNode == nil ? nil : try (-(g * a.detach()) / (bd * bd)).sum(toShape: b.shape)]
            }
    }

    public static prefix func - (a: Tensor) -> Tensor {
        // Negation cannot fail: same shape, one allocation of an existing size.
        (try! a.map { -$0 }).tracked("NegBackward", inputs: [a]) { g in [-g] }
    }

    // A Float operand is a floating-point scalar (like a Python float): the result is float32.
    public static func + (a: Tensor, b: Float) throws -> Tensor { try a + Tensor(b) }
    public static func + (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) + b }
    public static func - (a: Tensor, b: Float) throws -> Tensor { try a - Tensor(b) }
    public static func - (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) - b }
    public static func * (a: Tensor, b: Float) throws -> Tensor { try a * Tensor(b) }
    public static func * (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) * b }
    public static func / (a: Tensor, b: Float) throws -> Tensor { try a / Tensor(b) }
    public static func / (a: Float, b: Tensor) throws -> Tensor { try Tensor(a) / b }

    /// Elementwise power with a broadcast exponent. As in PyTorch, the gradient to the base is 0
    /// where the exponent is 0, and the gradient to the exponent is 0 where the base is 0 (and
    /// the exponent ≥ 0) and NaN where the base is negative (log of a negative number).
    public func pow(_ exponent: Tensor) throws -> Tensor {
        let base = self
        return try Tensor.zipMap(base, exponent, "pow") { Foundation.pow($0, $1) }
            .tracked("PowBackward", inputs: [base, exponent]) { g in
                let x = base.detach(), e = exponent.detach()
                let dx = base.gradNode == nil ? nil : try (g * Tensor.zipMap(x, e, "pow") { $1 == 0 ? 0 : $1 * Foundation.pow($0, $1 - 1) }).sum(toShape: base.shape)
                let de = exponent.gradNode == nil ? nil : try (g * Tensor.zipMap(x, e, "pow") { $0 == 0 && $1 >= 0 ? 0 : Foundation.pow($0, $1) * Foundation.log($0) }).sum(toShape: exponent.shape)
                return [dx, de]
            }
    }

    /// Elementwise power with a scalar exponent. Exponents ±0.5 are square roots, as in
    /// PyTorch, so a negative base (−∞ included) gives NaN; the gradient of `pow(x, 0)` is 0.
    public func pow(_ exponent: Float) throws -> Tensor {
        let x = self
        let power: (Float) -> Float
        switch exponent {
        case 0.5: power = { $0.squareRoot() }
        case -0.5: power = { 1 / $0.squareRoot() }
        default: power = { Foundation.pow($0, exponent) }
        }
        return try map(dtype: .float32, power)
            .tracked("PowBackward", inputs: [x]) { g in
                if exponent == 0 { return [try Tensor.zeros(x.shape)] }
                return [try g * x.detach().map(dtype: .float32) { exponent * Foundation.pow($0, exponent - 1) }]
            }
    }

    // MARK: Unary functions

    /// A unary op whose derivative is a function of the input and the output. The backward
    /// pass is one loop: dx = derivative(x, y) · g.
    @inline(__always)
    func unary(_ name: String, _ f: (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) throws -> Tensor {
        let x = self
        let y = try map(dtype: .float32, f)
        return y.tracked(name, inputs: [x]) { g in
            if g.shape != y.shape || g.isMeta || y.isMeta {
                return [try Tensor.zipMap(x, y, name) { derivative($0, $1) } * g]
            }
            let dx = try Tensor(uninitializedShape: y.shape)
            let px = UnsafePointer(x.storage.pointer), py = UnsafePointer(y.storage.pointer)
            let pg = UnsafePointer(g.storage.pointer), out = dx.storage.pointer
            for i in 0..<y.count { out[i] = derivative(px[i], py[i]) * pg[i] }
            return [dx]
        }
    }

    public func exp() throws -> Tensor { try unary("ExpBackward", { Foundation.exp($0) }) { _, y in y } }
    public func log() throws -> Tensor { try unary("LogBackward", { Foundation.log($0) }) { x, _ in 1 / x } }
    public func sqrt() throws -> Tensor { try unary("SqrtBackward", { $0.squareRoot() }) { _, y in 0.5 / y } }
    public func abs() throws -> Tensor { try unary("AbsBackward", { Swift.abs($0) }) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
    /// max(x, 0), with NaN kept as NaN (PyTorch's `relu`). Its backward reads only the output
    /// (the gradient passes wherever y is not ≤ 0: where x > 0 and where x is NaN), so the
    /// input is not kept alive by the graph.
    public func relu() throws -> Tensor {
        let y = try map(dtype: .float32) { $0 <= 0 ? 0 : $0 }
        return y.tracked("ReluBackward", inputs: [self]) { g in
            guard g.shape == y.shape, !g.isMeta, !y.isMeta else {
                return [try Tensor.zipMap(y, g, "ReluBackward") { $0 <= 0 ? 0 : $1 }]
            }
            let dx = try Tensor(uninitializedShape: y.shape)
            let py = UnsafePointer(y.storage.pointer), pg = UnsafePointer(g.storage.pointer), out = dx.storage.pointer
            for i in 0..<y.count { out[i] = py[i] <= 0 ? 0 : pg[i] }
            return [dx]
        }
    }
    public func sigmoid() throws -> Tensor {
        try unary("SigmoidBackward", { $0 >= 0 ? 1 / (1 + Foundation.exp(-$0)) : Foundation.exp($0) / (1 + Foundation.exp($0)) }) { _, y in y * (1 - y) }
    }
    public func tanh() throws -> Tensor { try unary("TanhBackward", { Foundation.tanh($0) }) { _, y in 1 - y * y } }

    /// Limits every element to `[min, max]`; the gradient passes only where the value was
    /// strictly inside: 0 at a bound exactly, as torch 2.15 gives.
    public func clamp(min lower: Float? = nil, max upper: Float? = nil) throws -> Tensor {
        let lo = lower ?? -.infinity, hi = upper ?? .infinity
        return try unary("ClampBackward", { Swift.min(Swift.max($0, lo), hi) }) { x, _ in
            (lower.map { x > $0 } ?? true) && (upper.map { x < $0 } ?? true) ? 1 : 0
        }
    }

    // MARK: Comparisons (0/1 boolean tensors, no gradient)

    public static func .== (a: Tensor, b: Tensor) throws -> Tensor { try zipMap(a, b, "eq", dtype: .bool) { $0 == $1 ? 1 : 0 } }
    public static func .!= (a: Tensor, b: Tensor) throws -> Tensor { try zipMap(a, b, "ne", dtype: .bool) { $0 != $1 ? 1 : 0 } }
    public static func .< (a: Tensor, b: Tensor) throws -> Tensor { try zipMap(a, b, "lt", dtype: .bool) { $0 < $1 ? 1 : 0 } }
    public static func .<= (a: Tensor, b: Tensor) throws -> Tensor { try zipMap(a, b, "le", dtype: .bool) { $0 <= $1 ? 1 : 0 } }
    public static func .> (a: Tensor, b: Tensor) throws -> Tensor { try zipMap(a, b, "gt", dtype: .bool) { $0 > $1 ? 1 : 0 } }
    public static func .>= (a: Tensor, b: Tensor) throws -> Tensor { try zipMap(a, b, "ge", dtype: .bool) { $0 >= $1 ? 1 : 0 } }
}
