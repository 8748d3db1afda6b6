/// A pair of sizes for the two spatial dimensions (height, width) of a 2-D operation:
/// kernel size, stride, padding or dilation.
///
/// Written as an integer literal (`kernelSize: 5`) it means the same size in both dimensions,
/// like PyTorch's `kernel_size=5`; `Size2(2, 4)` or `Size2((2, 4))` gives each dimension its own.
/// It remembers which form it was given, because PyTorch's pooling layers print them as given
/// (`kernel_size=2` versus `kernel_size=(2, 4)`).
public struct Size2: Equatable, Hashable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var h: Int
    public var w: Int
    /// True when built from a single integer.
    public var isScalar: Bool

    public init(_ size: Int) {
        h = size; w = size; isScalar = true
    }

    public init(_ h: Int, _ w: Int) {
        self.h = h; self.w = w; isScalar = false
    }

    public init(_ pair: (Int, Int)) {
        self.init(pair.0, pair.1)
    }

    public init(integerLiteral value: Int) {
        self.init(value)
    }

    /// The pair as a tuple.
    public var pair: (Int, Int) { (h, w) }

    /// `2` for a scalar, `(2, 4)` for a pair: the way PyTorch prints it.
    public var description: String { isScalar ? "\(h)" : "(\(h), \(w))" }

    /// Always the pair form: `(5, 5)`, as `Conv2d` prints its sizes.
    public var pairDescription: String { "(\(h), \(w))" }

    public static func == (a: Size2, b: Size2) -> Bool { a.h == b.h && a.w == b.w }
    public func hash(into hasher: inout Hasher) { hasher.combine(h); hasher.combine(w) }
}
