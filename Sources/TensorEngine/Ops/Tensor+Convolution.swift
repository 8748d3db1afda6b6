import Foundation
import COpenBLAS

/// Everything a convolution kernel needs to know about its operands, checked once.
struct ConvolutionSetup {
    var batch: Int
    var inChannels: Int
    var outChannels: Int
    var groups: Int
    var geometry: WindowGeometry

    var inChannelsPerGroup: Int { inChannels / groups }
    var outChannelsPerGroup: Int { outChannels / groups }
    /// Rows of one group's column matrix: C/groups · kH · kW.
    var columnRows: Int { inChannelsPerGroup * geometry.kernelArea }
    var outputShape: [Int] { [batch, outChannels, geometry.outputH, geometry.outputW] }

    /// How many images share one GEMM. Small outputs (LeNet's 28×28 or 10×10 maps) make thin
    /// matrices that BLAS handles poorly, so several images are laid side by side until the
    /// GEMM is a few thousand columns wide.
    var imagesPerGemm: Int {
        let area = Swift.max(geometry.outputArea, 1)
        let byWidth = Swift.max(1, 4096 / area)
        let byMemory = Swift.max(1, (8 << 20) / Swift.max(columnRows * area, 1))
        return Swift.max(1, Swift.min(batch, byWidth, byMemory))
    }

    /// Validates the shapes and arguments of `conv2d` and computes the output geometry.
    init(input: [Int], weight: [Int], bias: [Int]?, stride: (Int, Int), padding: (Int, Int),
         dilation: (Int, Int), groups: Int, operation: String = "conv2d") throws {
        guard input.count == 4 else {
            throw TensorError("\(operation): expected input of 4 dimensions [N, C, H, W], got \(shapeDescription(input))",
                              suggestion: input.count == 3 ? "add a batch dimension with unsqueeze(0)" : nil)
        }
        guard weight.count == 4 else {
            throw TensorError("\(operation): expected weight of 4 dimensions [out_channels, in_channels/groups, kH, kW], got \(shapeDescription(weight))")
        }
        guard groups > 0 else { throw TensorError("\(operation): groups must be positive, got \(groups)") }
        guard stride.0 > 0, stride.1 > 0 else {
            throw TensorError("\(operation): stride should be positive, got (\(stride.0), \(stride.1))")
        }
        guard dilation.0 > 0, dilation.1 > 0 else {
            throw TensorError("\(operation): dilation should be positive, got (\(dilation.0), \(dilation.1))")
        }
        guard padding.0 >= 0, padding.1 >= 0 else {
            throw TensorError("\(operation): negative padding is not supported, got (\(padding.0), \(padding.1))")
        }
        let (outC, cPerGroup, kh, kw) = (weight[0], weight[1], weight[2], weight[3])
        guard outC % groups == 0 else {
            throw TensorError("\(operation): out_channels (\(outC)) of weight \(shapeDescription(weight)) must be divisible by groups=\(groups)")
        }
        guard input[1] == cPerGroup * groups else {
            throw TensorError("\(operation): given groups=\(groups), weight of size \(shapeDescription(weight)), expected input \(shapeDescription(input)) to have \(cPerGroup * groups) channels, but got \(input[1]) channels instead")
        }
        if let bias, bias != [outC] {
            throw TensorError("\(operation): expected bias of shape [\(outC)] for weight \(shapeDescription(weight)), got \(shapeDescription(bias))")
        }
        let (H, W) = (input[2], input[3])
        let paddedH = H + 2 * padding.0, paddedW = W + 2 * padding.1
        let spanH = dilation.0 * (kh - 1) + 1, spanW = dilation.1 * (kw - 1) + 1
        guard kh > 0, kw > 0, spanH <= paddedH, spanW <= paddedW else {
            throw TensorError("\(operation): calculated padded input size per channel (\(paddedH) x \(paddedW)) is smaller than the kernel size (\(spanH) x \(spanW)) of weight \(shapeDescription(weight)) on input \(shapeDescription(input))",
                              suggestion: "kernel size can't be greater than actual input size; use a smaller kernel or more padding")
        }
        batch = input[0]
        inChannels = input[1]
        outChannels = outC
        self.groups = groups
        geometry = WindowGeometry(
            kernelH: kh, kernelW: kw, strideH: stride.0, strideW: stride.1,
            padH: padding.0, padW: padding.1, dilationH: dilation.0, dilationW: dilation.1,
            inputH: H, inputW: W,
            outputH: WindowGeometry.outputSize(input: H, kernel: kh, stride: stride.0, padding: padding.0, dilation: dilation.0),
            outputW: WindowGeometry.outputSize(input: W, kernel: kw, stride: stride.1, padding: padding.1, dilation: dilation.1))
    }
}

// MARK: Kernels (im2col + sgemm)

enum ConvolutionKernels {
    /// out[n, o] = Σ weight[o] ⋆ input[n] (+ bias[o]), through one GEMM per group and chunk of images.
    static func forward(_ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        _ s: ConvolutionSetup, into out: UnsafeMutablePointer<Float>) throws {
        let L = s.geometry.outputArea
        let K = s.columnRows, Og = s.outChannelsPerGroup, O = s.outChannels
        let chunk = s.imagesPerGemm
        var n0 = 0
        while n0 < s.batch {
            let images = Swift.min(chunk, s.batch - n0)
            let width = images * L
            for group in 0..<s.groups {
                let columns = try columnMatrix(x, s, firstImage: n0, images: images, group: group)
                let wg = w + group * Og * K
                if images == 1 {
                    rowMajorSgemm(transposeA: false, transposeB: false, m: Og, n: L, k: K, wg, lda: K,
                                  columns.pointer, ldb: columns.rowStride, beta: 0,
                                  out + (n0 * O + group * Og) * L, ldc: L)
                } else {
                    let staged = try ScratchBuffer.gathered.reserve(Og * width, operation: "conv2d")
                    rowMajorSgemm(transposeA: false, transposeB: false, m: Og, n: width, k: K, wg, lda: K,
                                  columns.pointer, ldb: columns.rowStride, beta: 0, staged, ldc: width)
                    for i in 0..<images {
                        for o in 0..<Og {
                            (out + ((n0 + i) * O + group * Og + o) * L).update(from: staged + o * width + i * L, count: L)
                        }
                    }
                }
            }
            if let bias {
                for i in 0..<images {
                    for o in 0..<O {
                        let row = out + ((n0 + i) * O + o) * L
                        let b = bias[o]
                        for l in 0..<L { row[l] += b }
                    }
                }
            }
            n0 += images
        }
    }

    /// The column matrix of `images` images starting at `firstImage`, for one group: either
    /// unfolded into scratch memory, or the input itself when the unfolding would be a copy.
    static func columnMatrix(_ x: UnsafePointer<Float>, _ s: ConvolutionSetup, firstImage n0: Int, images: Int,
                             group: Int) throws -> (pointer: UnsafePointer<Float>, rowStride: Int) {
        let g = s.geometry, L = g.outputArea, HW = g.inputArea, Cg = s.inChannelsPerGroup
        if images == 1 && g.isPointwise {
            return (x + (n0 * s.inChannels + group * Cg) * HW, L)
        }
        let width = images * L
        let columns = try ScratchBuffer.columns.reserve(s.columnRows * width, operation: "conv2d")
        for i in 0..<images {
            im2col(x + ((n0 + i) * s.inChannels + group * Cg) * HW, channels: Cg, geometry: g,
                   into: columns + i * L, rowStride: width)
        }
        return (UnsafePointer(columns), width)
    }

    /// Gradients of the input (through col2im) and of the weight, for the output gradient `dy`.
    /// `dx` and `dw` must be zero-initialised when given.
    static func backward(_ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                         _ s: ConvolutionSetup, inputGradient dx: UnsafeMutablePointer<Float>?,
                         weightGradient dw: UnsafeMutablePointer<Float>?) throws {
        let g = s.geometry, L = g.outputArea, HW = g.inputArea
        let K = s.columnRows, Cg = s.inChannelsPerGroup, Og = s.outChannelsPerGroup, O = s.outChannels
        let chunk = s.imagesPerGemm
        var n0 = 0
        while n0 < s.batch {
            let images = Swift.min(chunk, s.batch - n0)
            let width = images * L
            // The output gradient of the chunk as [O, images·L], matching the column matrix.
            let gradient: UnsafePointer<Float>
            let gradientStride: Int
            if images == 1 {
                gradient = dy + n0 * O * L
                gradientStride = L
            } else {
                let staged = try ScratchBuffer.gathered.reserve(O * width, operation: "conv2d backward")
                for i in 0..<images {
                    for o in 0..<O {
                        (staged + o * width + i * L).update(from: dy + ((n0 + i) * O + o) * L, count: L)
                    }
                }
                gradient = UnsafePointer(staged)
                gradientStride = width
            }
            for group in 0..<s.groups {
                let gg = gradient + group * Og * gradientStride
                let wg = w + group * Og * K
                if let dw {
                    let columns = try columnMatrix(x, s, firstImage: n0, images: images, group: group)
                    // dW_g += dY_g · colsᵀ
                    rowMajorSgemm(transposeA: false, transposeB: true, m: Og, n: K, k: width, gg, lda: gradientStride,
                                  columns.pointer, ldb: columns.rowStride, beta: 1, dw + group * Og * K, ldc: K)
                }
                if let dx {
                    let target = dx + (n0 * s.inChannels + group * Cg) * HW
                    if images == 1 && g.isPointwise {
                        rowMajorSgemm(transposeA: true, transposeB: false, m: K, n: L, k: Og, wg, lda: K,
                                      gg, ldb: gradientStride, beta: 1, target, ldc: L)
                        continue
                    }
                    // d(cols) = W_gᵀ · dY_g, folded back onto the input.
                    let columnGradient = try ScratchBuffer.columnGradients.reserve(K * width, operation: "conv2d backward")
                    rowMajorSgemm(transposeA: true, transposeB: false, m: K, n: width, k: Og, wg, lda: K,
                                  gg, ldb: gradientStride, beta: 0, columnGradient, ldc: width)
                    for i in 0..<images {
                        col2im(columnGradient + i * L, rowStride: width, channels: Cg, geometry: g,
                               into: dx + ((n0 + i) * s.inChannels + group * Cg) * HW)
                    }
                }
            }
            n0 += images
        }
    }

    /// db[o] = Σ over images and positions of dY[n, o].
    static func biasGradient(_ dy: UnsafePointer<Float>, batch: Int, channels: Int, area: Int,
                             into db: UnsafeMutablePointer<Float>) {
        db.update(repeating: 0, count: channels)
        for n in 0..<batch {
            for o in 0..<channels {
                let row = dy + (n * channels + o) * area
                var acc: Float = 0
                for l in 0..<area { acc += row[l] }
                db[o] += acc
            }
        }
    }
}

// MARK: Public operations

/// 2-D convolution (cross-correlation) of an NCHW batch, with PyTorch's semantics.
///
/// `input` is [N, C, H, W], `weight` is [out_channels, C / groups, kH, kW], `bias` is
/// [out_channels]. Each output size is floor((n + 2p − d(k − 1) − 1) / s) + 1. Forward and
/// backward run through im2col/col2im and OpenBLAS `sgemm`. A meta input gives a meta result.
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil,
                   stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                   dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
    let setup = try ConvolutionSetup(input: input.shape, weight: weight.shape, bias: bias?.shape, stride: stride,
                                     padding: padding, dilation: dilation, groups: groups)
    if input.isMeta || weight.isMeta || (bias?.isMeta ?? false) {
        return try Tensor(metaShape: setup.outputShape)
    }
    let output = try Tensor(uninitializedShape: setup.outputShape)
    try ConvolutionKernels.forward(input.storage.pointer, weight: weight.storage.pointer,
                                   bias: bias.map { UnsafePointer($0.storage.pointer) }, setup,
                                   into: output.storage.pointer)
    var tracked = [input, weight]
    if let bias { tracked.append(bias) }
    return output.tracked("ConvolutionBackward", inputs: tracked) { g in
        let needInput = input.gradNode != nil, needWeight = weight.gradNode != nil
        let dx = needInput ? try Tensor.zeros(input.shape) : nil
        let dw = needWeight ? try Tensor.zeros(weight.shape) : nil
        try ConvolutionKernels.backward(input.storage.pointer, weight: weight.storage.pointer,
                                        outputGradient: g.storage.pointer, setup,
                                        inputGradient: dx?.storage.pointer, weightGradient: dw?.storage.pointer)
        var grads: [Tensor?] = [dx, dw]
        if let bias {
            if bias.gradNode != nil {
                let db = try Tensor(uninitializedShape: [setup.outChannels])
                ConvolutionKernels.biasGradient(g.storage.pointer, batch: setup.batch, channels: setup.outChannels,
                                                area: setup.geometry.outputArea, into: db.storage.pointer)
                grads.append(db)
            } else {
                grads.append(nil)
            }
        }
        return grads
    }
}

/// 2-D convolution with sizes given as `Size2` (an integer literal means both dimensions):
/// `conv2d(x, weight: w, padding: 1)`. Calls that fit the tuple form use that one.
@_disfavoredOverload
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil,
                   stride: Size2 = 1, padding: Size2 = 0, dilation: Size2 = 1, groups: Int = 1) throws -> Tensor {
    try conv2d(input, weight: weight, bias: bias, stride: stride.pair, padding: padding.pair,
               dilation: dilation.pair, groups: groups)
}

/// The textbook 2-D cross-correlation of a 2-D input [H, W] with a 2-D kernel [kH, kW]:
/// `Y[i, j] = Σ X[i + a, j + b] · K[a, b]`, giving [H − kH + 1, W − kW + 1]. Differentiable
/// in both arguments.
public func corr2d(_ x: Tensor, _ k: Tensor) throws -> Tensor {
    guard x.rank == 2, k.rank == 2 else {
        throw TensorError("corr2d: expected a 2-D input and a 2-D kernel, got \(shapeDescription(x.shape)) and \(shapeDescription(k.shape))")
    }
    guard k.shape[0] > 0, k.shape[1] > 0, k.shape[0] <= x.shape[0], k.shape[1] <= x.shape[1] else {
        throw TensorError("corr2d: kernel \(shapeDescription(k.shape)) does not fit inside input \(shapeDescription(x.shape))")
    }
    let setup = try ConvolutionSetup(input: [1, 1] + x.shape, weight: [1, 1] + k.shape, bias: nil,
                                     stride: (1, 1), padding: (0, 0), dilation: (1, 1), groups: 1, operation: "corr2d")
    let shape = [setup.geometry.outputH, setup.geometry.outputW]
    if x.isMeta || k.isMeta { return try Tensor(metaShape: shape) }
    let output = try Tensor(uninitializedShape: shape)
    try ConvolutionKernels.forward(x.storage.pointer, weight: k.storage.pointer, bias: nil, setup,
                                   into: output.storage.pointer)
    return output.tracked("Corr2dBackward", inputs: [x, k]) { g in
        let dx = x.gradNode != nil ? try Tensor.zeros(x.shape) : nil
        let dk = k.gradNode != nil ? try Tensor.zeros(k.shape) : nil
        try ConvolutionKernels.backward(x.storage.pointer, weight: k.storage.pointer, outputGradient: g.storage.pointer,
                                        setup, inputGradient: dx?.storage.pointer, weightGradient: dk?.storage.pointer)
        return [dx, dk]
    }
}
