import COpenBLAS

/// The affine map y = x·Wᵀ + b of `nn.Linear`, over the last dimension of `input`
/// ([..., in_features] → [..., out_features]); `weight` is [out_features, in_features] and
/// `bias` [out_features]. One `sgemm` forward, two backward, with no transposition copies.
public func linear(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
    guard weight.rank == 2 else {
        throw TensorError("linear: expected weight of 2 dimensions [out_features, in_features], got \(shapeDescription(weight.shape))")
    }
    guard input.rank >= 1 else {
        throw TensorError("linear: expected input of at least 1 dimension [..., in_features], got a scalar")
    }
    let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
    let rows = input.shape.dropLast().reduce(1, *)
    guard input.shape[input.rank - 1] == inFeatures else {
        throw TensorError("linear: input \(shapeDescription(input.shape)) and weight \(shapeDescription(weight.shape)) do not fit: mat1 and mat2 shapes cannot be multiplied (\(rows)x\(input.shape[input.rank - 1]) and \(inFeatures)x\(outFeatures))",
                          suggestion: input.rank > 2 ? "flatten the input first" : nil)
    }
    if let bias, bias.shape != [outFeatures] {
        throw TensorError("linear: expected bias of shape [\(outFeatures)] for weight \(shapeDescription(weight.shape)), got \(shapeDescription(bias.shape))")
    }
    let outShape = Array(input.shape.dropLast()) + [outFeatures]
    if input.isMeta || weight.isMeta || (bias?.isMeta ?? false) { return try Tensor(metaShape: outShape) }
    let output = try Tensor(uninitializedShape: outShape)
    let y = output.storage.pointer
    if let bias {
        for r in 0..<rows { (y + r * outFeatures).update(from: bias.storage.pointer, count: outFeatures) }
    }
    rowMajorSgemm(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                  input.storage.pointer, lda: inFeatures, weight.storage.pointer, ldb: inFeatures,
                  beta: bias == nil ? 0 : 1, y, ldc: outFeatures)
    var inputs = [input, weight]
    if let bias { inputs.append(bias) }
    return output.tracked("AddmmBackward", inputs: inputs) { g in
        let gp = g.storage.pointer
        var dx: Tensor?, dw: Tensor?
        if input.gradNode != nil {
            // dX = dY · W
            let t = try Tensor(uninitializedShape: input.shape)
            rowMajorSgemm(transposeA: false, transposeB: false, m: rows, n: inFeatures, k: outFeatures,
                          gp, lda: outFeatures, weight.storage.pointer, ldb: inFeatures, beta: 0, t.storage.pointer, ldc: inFeatures)
            dx = t
        }
        if weight.gradNode != nil {
            // dW = dYᵀ · X
            let t = try Tensor(uninitializedShape: weight.shape)
            rowMajorSgemm(transposeA: true, transposeB: false, m: outFeatures, n: inFeatures, k: rows,
                          gp, lda: outFeatures, input.storage.pointer, ldb: inFeatures, beta: 0, t.storage.pointer, ldc: inFeatures)
            dw = t
        }
        var grads: [Tensor?] = [dx, dw]
        if let bias {
            if bias.gradNode != nil {
                let db = try Tensor.zeros([outFeatures])
                let d = db.storage.pointer
                for r in 0..<rows {
                    let row = gp + r * outFeatures
                    for o in 0..<outFeatures { d[o] += row[o] }
                }
                grads.append(db)
            } else {
                grads.append(nil)
            }
        }
        return grads
    }
}
