// Joining tensors: `cat` along an existing dimension, `stack` along a new one.

extension Tensor {
    /// The element type of a result built from several tensors: float if any is float,
    /// otherwise int64 if any is int64, otherwise bool (PyTorch's promotion).
    static func promotedType(_ tensors: [Tensor]) -> DType {
        if tensors.contains(where: { $0.dtype == .float32 }) { return .float32 }
        if tensors.contains(where: { $0.dtype == .int64 }) { return .int64 }
        return .bool
    }

    /// Concatenates same-rank tensors whose sizes agree outside `dim` (already normalised).
    /// Untracked: `cat` and `stack` add their own backward.
    static func rawCat(_ tensors: [Tensor], dim: Int, operation: String) throws -> Tensor {
        let first = tensors[0]
        var outShape = first.shape
        outShape[dim] = 0
        for (number, t) in tensors.enumerated() {
            for d in 0..<first.rank where d != dim && t.shape[d] != first.shape[d] {
                throw TensorError("\(operation): sizes of tensors must match except in dimension \(dim). Expected size \(first.shape[d]) but got size \(t.shape[d]) for tensor number \(number) in the list (shapes \(shapeDescription(first.shape)) and \(shapeDescription(t.shape)))")
            }
            outShape[dim] += t.shape[dim]
        }
        let dtype = promotedType(tensors)
        if tensors.contains(where: \.isMeta) { return try Tensor(metaShape: outShape, dtype: dtype) }
        let result = try Tensor(uninitializedShape: outShape, dtype: dtype)
        let outer = first.shape[..<dim].reduce(1, *)
        let inner = first.shape[(dim + 1)...].reduce(1, *)
        let rowLength = outShape[dim] * inner
        let dst = result.storage.pointer
        var column = 0
        for t in tensors {
            let chunk = t.shape[dim] * inner
            if chunk > 0 {
                let src = t.storage.pointer
                for o in 0..<outer { (dst + o * rowLength + column).update(from: src + o * chunk, count: chunk) }
            }
            column += chunk
        }
        return result
    }

    /// Joins `tensors` along the existing dimension `dim`, like `torch.cat`.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else {
            throw TensorError("cat: expected a non-empty list of tensors")
        }
        for (i, t) in tensors.enumerated() {
            if t.rank == 0 {
                throw TensorError("cat: zero-dimensional tensor (at position \(i)) cannot be concatenated")
            }
            if t.rank != first.rank {
                throw TensorError("cat: tensors must have same number of dimensions: got \(first.rank) and \(t.rank) (shapes \(shapeDescription(first.shape)) and \(shapeDescription(t.shape)))")
            }
        }
        let d = try normalizedDim(dim, rank: first.rank, operation: "cat")
        let result = try rawCat(tensors, dim: d, operation: "cat")
        let sizes = tensors.map { $0.shape[d] }
        return result.tracked("CatBackward", inputs: tensors) { g in
            var start = 0
            return try zip(tensors, sizes).map { t, size in
                defer { start += size }
                guard t.gradNode != nil else { return nil }
                var indices = [TensorIndex](repeating: .all, count: d)
                indices.append(.range(start, start + size, closed: false))
                return try g.slice(indices)
            }
        }
    }

    /// Joins equally shaped `tensors` along a new dimension `dim`, like `torch.stack`.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else {
            throw TensorError("stack: expected a non-empty list of tensors")
        }
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw TensorError("stack: expects each tensor to be equal size, but got \(shapeDescription(first.shape)) at entry 0 and \(shapeDescription(t.shape)) at entry \(i)")
        }
        let d = try normalizedDim(dim, rank: first.rank + 1, operation: "stack")
        var expanded = first.shape
        expanded.insert(1, at: d)
        let result = try rawCat(tensors.map { $0.withShape(expanded) }, dim: d, operation: "stack")
        return result.tracked("StackBackward", inputs: tensors) { g in
            try tensors.enumerated().map { i, t in
                guard t.gradNode != nil else { return nil }
                var indices = [TensorIndex](repeating: .all, count: d)
                indices.append(.at(i))
                return try g.slice(indices)
            }
        }
    }
}
