/// Merges dimensions `startDim...endDim` into one, like `nn.Flatten` (by default everything
/// but the batch dimension: [N, C, H, W] → [N, C·H·W]). Never copies.
public final class Flatten: Module {
    public let startDim: Int
    public let endDim: Int
    public var isTraining = true

    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
    }

    public func forward(_ input: Tensor) throws -> Tensor {
        let rank = Swift.max(input.rank, 1)
        let start = startDim < 0 ? startDim + rank : startDim
        let end = endDim < 0 ? endDim + rank : endDim
        guard (0..<rank).contains(start), (0..<rank).contains(end) else {
            throw TensorError("Flatten: dimension out of range (expected to be in range of [\(-rank), \(rank - 1)], but got start_dim=\(startDim), end_dim=\(endDim)) for input \(shapeDescription(input.shape))")
        }
        guard start <= end else {
            throw TensorError("Flatten: start_dim (\(startDim)) cannot come after end_dim (\(endDim)) for input \(shapeDescription(input.shape))")
        }
        if input.rank == 0 { return input.flattenedView([1]) }
        let shape = input.shape
        let merged = shape[start...end].reduce(1, *)
        return input.flattenedView(Array(shape[..<start]) + [merged] + Array(shape[(end + 1)...]))
    }

    public var typeName: String { "Flatten" }

    public var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}

extension Tensor {
    /// The same elements under `newShape` (same count), tracked by autograd.
    fileprivate func flattenedView(_ newShape: [Int]) -> Tensor {
        let source = self
        let view = isMeta ? (try? Tensor(metaShape: newShape)) ?? withShape(newShape) : withShape(newShape)
        return view.tracked("ViewBackward", inputs: [source]) { g in [g.withShape(source.shape)] }
    }
}
