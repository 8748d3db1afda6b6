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

    /// Multiply-adds of one forward pass.
    var multiplyAdds: Int { batch * outChannels * geometry.outputArea * columnRows }

    /// The widest column matrix (in output positions) that keeps one group's matrix near 512 KiB,
    /// so that it stays in the L2 cache of the core that unfolds it until its GEMM has read it.
    var panelWidth: Int {
        let byCache = (128 << 10) / Swift.max(columnRows, 1)
        return Swift.max(Swift.min(byCache, 4096), 64)
    }

    /// How many whole images share one GEMM: small outputs (LeNet's 28×28 or 10×10 maps) make
    /// thin matrices that BLAS handles poorly, so several images are laid side by side.
    var imagesPerGemm: Int {
        let area = Swift.max(geometry.outputArea, 1)
        return Swift.max(1, Swift.min(batch, panelWidth / area))
    }

    /// `imagesPerGemm` for the backward pass, which keeps two column matrices of a panel (the
    /// unfolded input for the weight gradient and the column gradient for col2im) in L2 at once:
    /// half as many images when the matrices are tall (LeNet's second convolution: 4 instead of
    /// 8 images, 3.6–3.8 ms instead of 3.9–4.0 ms forward+backward). Short ones (LeNet's first,
    /// 25 rows) measured slower with narrower panels and keep the forward's width.
    var backwardImagesPerGemm: Int {
        let area = Swift.max(geometry.outputArea, 1)
        let width = columnRows >= 64 ? panelWidth / 2 : panelWidth
        return Swift.max(1, Swift.min(batch, width / area))
    }

    /// Output rows per GEMM when one image's column matrix is wider than `panelWidth`.
    var rowsPerGemm: Int {
        Swift.max(1, Swift.min(geometry.outputH, panelWidth / Swift.max(geometry.outputW, 1)))
    }

    /// Chunks of images for the parallel region: one for small problems, where handing out work
    /// costs more than it saves.
    var imageChunks: Int {
        KernelThreads.chunks(for: batch, workPerItem: multiplyAdds / Swift.max(batch, 1))
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
        try WindowGeometry.checkMagnitudes(operation, [("stride", stride.0), ("stride", stride.1), ("padding", padding.0),
                                                       ("padding", padding.1), ("dilation", dilation.0), ("dilation", dilation.1),
                                                       ("groups", groups)])
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

/// A band of one convolution's work: `images` whole images side by side starting at `image`,
/// or the output rows `rows` of the single image `image`.
struct ConvolutionPanel {
    var image: Int
    var images: Int
    var rows: Range<Int>
}

enum ConvolutionKernels {
    /// The algorithms a convolution can run with.
    enum Method { case im2col, winograd, direct, channelVector }

    /// Tests set this to run every convolution through one algorithm (nil: the best for the shape).
    nonisolated(unsafe) static var forcedMethod: Method?

    /// The algorithm for this shape: Winograd F(2×2, 3×3) or the direct kernel where they apply,
    /// im2col + sgemm otherwise.
    static func method(_ s: ConvolutionSetup) -> Method {
        switch forcedMethod {
        case .winograd?: return WinogradPlan.applies(s) ? .winograd : .im2col
        case .direct?: return DirectConvolution.applies(s) ? .direct : .im2col
        case .channelVector?: return ChannelVectorConvolution.applies(s) ? .channelVector : .im2col
        case .im2col?: return .im2col
        case nil:
            if WinogradPlan.applies(s) { return .winograd }
            if DirectConvolution.applies(s) { return .direct }
            if ChannelVectorConvolution.applies(s) { return .channelVector }
            return .im2col
        }
    }

    /// The panels covering images `images` and, of each, the output rows `rows`.
    static func panels(_ s: ConvolutionSetup, images: Range<Int>, rows: Range<Int>,
                       imagesPerGemm: Int? = nil) -> [ConvolutionPanel] {
        var result: [ConvolutionPanel] = []
        let imagesPerGemm = imagesPerGemm ?? s.imagesPerGemm
        if rows.count == s.geometry.outputH && imagesPerGemm > 1 {
            var n = images.lowerBound
            while n < images.upperBound {
                let count = Swift.min(imagesPerGemm, images.upperBound - n)
                result.append(ConvolutionPanel(image: n, images: count, rows: rows))
                n += count
            }
            return result
        }
        let step = s.rowsPerGemm
        for n in images {
            var r = rows.lowerBound
            while r < rows.upperBound {
                let end = Swift.min(r + step, rows.upperBound)
                result.append(ConvolutionPanel(image: n, images: 1, rows: r..<end))
                r = end
            }
        }
        return result
    }

    /// The chunks of a parallel region: shares of the images, or with fewer images than threads
    /// shares of every image's output rows (forward only: those never write the same element).
    static func assignments(_ s: ConvolutionSetup, splitRows: Bool) -> [(images: Range<Int>, rows: Range<Int>)] {
        let allRows = 0..<s.geometry.outputH
        if s.batch >= KernelThreads.count || !splitRows {
            let chunks = s.imageChunks
            return (0..<chunks).map { (KernelThreads.share($0, of: s.batch, parts: chunks), allRows) }
        }
        let chunks = KernelThreads.chunks(for: s.geometry.outputH, workPerItem: s.multiplyAdds / Swift.max(s.geometry.outputH, 1))
        return (0..<chunks).map { (0..<s.batch, KernelThreads.share($0, of: s.geometry.outputH, parts: chunks)) }
    }

    /// The column matrix of one panel for one group: either unfolded into the worker's
    /// scratch memory, or the input itself when the unfolding would be a copy.
    @inline(__always)
    static func columnMatrix(_ x: UnsafePointer<Float>, _ s: ConvolutionSetup, panel p: ConvolutionPanel, group: Int,
                             scratch: UnsafeMutablePointer<Float>) -> (pointer: UnsafePointer<Float>, rowStride: Int) {
        let g = s.geometry, L = g.outputArea, HW = g.inputArea, Cg = s.inChannelsPerGroup
        if p.images == 1 && g.isPointwise {
            return (x + (p.image * s.inChannels + group * Cg) * HW + p.rows.lowerBound * g.outputW, L)
        }
        let width = p.images * p.rows.count * g.outputW
        let bandWidth = p.rows.count * g.outputW
        for i in 0..<p.images {
            im2col(x + ((p.image + i) * s.inChannels + group * Cg) * HW, channels: Cg, geometry: g, rows: p.rows,
                   into: scratch + i * bandWidth, rowStride: width)
        }
        return (UnsafePointer(scratch), width)
    }

    /// Floats of column-matrix scratch one worker needs.
    static func columnScratchCount(_ s: ConvolutionSetup) -> Int {
        s.columnRows * Swift.max(s.imagesPerGemm * s.geometry.outputArea, s.rowsPerGemm * s.geometry.outputW)
    }

    /// out[n, o] = Σ weight[o] ⋆ input[n] (+ bias[o]): per panel and group one GEMM, the panels
    /// split between the cores.
    static func forward(_ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        _ s: ConvolutionSetup, into out: UnsafeMutablePointer<Float>) throws {
        if s.batch == 0 || s.geometry.outputArea == 0 { return }
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        switch method(s) {
        case .winograd:
            let u = WinogradKernels.transformWeights(w, outChannels: s.outChannels, inChannels: s.inChannels, flipped: false)
            try WinogradKernels.convolve(x, WinogradPlan(s), transformedWeights: u, bias: bias, into: out)
            return
        case .direct:
            try DirectConvolution.forward(x, weight: w, bias: bias, s, into: out)
            return
        case .channelVector:
            try ChannelVectorConvolution.forward(x, weight: w, bias: bias, s, into: out)
            return
        case .im2col:
            break
        }
        let L = s.geometry.outputArea, outW = s.geometry.outputW
        let K = s.columnRows, Og = s.outChannelsPerGroup, O = s.outChannels
        let work = assignments(s, splitRows: true)
        var scratch: [(columns: UnsafeMutablePointer<Float>, staged: UnsafeMutablePointer<Float>)] = []
        for slot in 0..<(work.count > 1 ? KernelThreads.count : 1) {
            let set = ScratchBuffer.workers[slot]
            scratch.append((try set.columns.reserve(columnScratchCount(s), operation: "conv2d"),
                            try set.gathered.reserve(Og * s.imagesPerGemm * L, operation: "conv2d")))
        }
        KernelThreads.run(chunks: work.count) { chunk, slot in
            let (columnsScratch, staged) = scratch[slot]
            for p in panels(s, images: work[chunk].images, rows: work[chunk].rows) {
                let band = p.rows.count * outW, width = p.images * band
                for group in 0..<s.groups {
                    let columns = columnMatrix(x, s, panel: p, group: group, scratch: columnsScratch)
                    let wg = w + group * Og * K
                    if p.images == 1 {
                        // Straight into the output rows; the bias is the GEMM's initial C.
                        let target = out + (p.image * O + group * Og) * L + p.rows.lowerBound * outW
                        if let bias {
                            for o in 0..<Og { (target + o * L).update(repeating: bias[group * Og + o], count: band) }
                        }
                        rowMajorSgemm(transposeA: false, transposeB: false, m: Og, n: band, k: K, wg, lda: K,
                                      columns.pointer, ldb: columns.rowStride, beta: bias == nil ? 0 : 1, target, ldc: L)
                    } else {
                        rowMajorSgemm(transposeA: false, transposeB: false, m: Og, n: width, k: K, wg, lda: K,
                                      columns.pointer, ldb: columns.rowStride, beta: 0, staged, ldc: width)
                        for i in 0..<p.images {
                            for o in 0..<Og {
                                let source = staged + o * width + i * L
                                let target = out + ((p.image + i) * O + group * Og + o) * L
                                if let bias {
                                    addScalar(source, bias[group * Og + o], into: target, count: L)
                                } else {
                                    target.update(from: source, count: L)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Gradients of the input (through col2im), of the weight and of the bias, for the output
    /// gradient `dy`. Every gradient given is overwritten.
    static func backward(_ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                         _ s: ConvolutionSetup, inputGradient dx: UnsafeMutablePointer<Float>?,
                         weightGradient dw: UnsafeMutablePointer<Float>?,
                         biasGradient db: UnsafeMutablePointer<Float>? = nil) throws {
        let g = s.geometry, L = g.outputArea, HW = g.inputArea, outW = g.outputW
        let K = s.columnRows, Cg = s.inChannelsPerGroup, Og = s.outChannelsPerGroup, O = s.outChannels
        let weightCount = O * K
        if let dw { dw.update(repeating: 0, count: weightCount) }
        if let db { db.update(repeating: 0, count: O) }
        if s.batch == 0 { return }
        if L == 0 {
            if let dx { dx.update(repeating: 0, count: s.batch * s.inChannels * HW) }
            return
        }
        KernelThreads.lock.lock()
        defer { KernelThreads.lock.unlock() }
        if method(s) == .winograd {
            let plan = WinogradPlan(s)
            if let dx {
                let u = WinogradKernels.transformWeights(w, outChannels: O, inChannels: s.inChannels, flipped: true)
                try WinogradKernels.convolve(dy, plan.inputGradientPlan, transformedWeights: u, bias: nil, into: dx)
            }
            if dw != nil || db != nil {
                try WinogradKernels.weightGradient(x, outputGradient: dy, plan, weightGradient: dw, biasGradient: db)
            }
            return
        }
        // Chunks of whole images: col2im of two threads never meets in one image.
        let work = assignments(s, splitRows: false)
        let slots = work.count > 1 ? KernelThreads.count : 1
        var scratch: [(columns: UnsafeMutablePointer<Float>, columnGradients: UnsafeMutablePointer<Float>,
                       staged: UnsafeMutablePointer<Float>, parameters: UnsafeMutablePointer<Float>)] = []
        for slot in 0..<slots {
            let set = ScratchBuffer.workers[slot]
            scratch.append((try set.columns.reserve(columnScratchCount(s), operation: "conv2d backward"),
                            try set.columnGradients.reserve(columnScratchCount(s), operation: "conv2d backward"),
                            try set.gathered.reserve(O * s.imagesPerGemm * L, operation: "conv2d backward"),
                            try set.parameterGradients.reserve(weightCount + O, operation: "conv2d backward")))
        }
        // Parameter sums are kept per lane (not per slot) so that their order is fixed.
        let lanes = KernelThreads.lanes(for: work.count)
        for lane in 1..<lanes { scratch[lane].parameters.update(repeating: 0, count: weightCount + O) }
        KernelThreads.runInLanes(chunks: work.count) { chunk, lane, slot in
            let buffers = scratch[slot]
            let images = work[chunk].images
            // Lane 0 sums straight into the results; the others into private sums added below.
            let dwSum = lane == 0 ? dw : dw.map { _ in scratch[lane].parameters }
            let dbSum = lane == 0 ? db : db.map { _ in scratch[lane].parameters + weightCount }
            if let dx, !images.isEmpty {
                (dx + images.lowerBound * s.inChannels * HW).update(repeating: 0, count: images.count * s.inChannels * HW)
            }
            for p in panels(s, images: images, rows: work[chunk].rows, imagesPerGemm: s.backwardImagesPerGemm) {
                let band = p.rows.count * outW, width = p.images * band
                // The output gradient of the panel as [O, width], matching the column matrix.
                let gradient: UnsafePointer<Float>
                let gradientStride: Int
                if p.images == 1 {
                    gradient = dy + p.image * O * L + p.rows.lowerBound * outW
                    gradientStride = L
                } else {
                    for i in 0..<p.images {
                        for o in 0..<O {
                            (buffers.staged + o * width + i * L).update(from: dy + ((p.image + i) * O + o) * L, count: L)
                        }
                    }
                    gradient = UnsafePointer(buffers.staged)
                    gradientStride = width
                }
                if let dbSum {
                    for o in 0..<O { dbSum[o] += sum(gradient + o * gradientStride, count: width) }
                }
                for group in 0..<s.groups {
                    let gg = gradient + group * Og * gradientStride
                    let wg = w + group * Og * K
                    if let dwSum {
                        let columns = columnMatrix(x, s, panel: p, group: group, scratch: buffers.columns)
                        // dW_g += dY_g · colsᵀ
                        rowMajorSgemm(transposeA: false, transposeB: true, m: Og, n: K, k: width, gg, lda: gradientStride,
                                      columns.pointer, ldb: columns.rowStride, beta: 1, dwSum + group * Og * K, ldc: K)
                    }
                    if let dx {
                        if p.images == 1 && g.isPointwise {
                            let target = dx + (p.image * s.inChannels + group * Cg) * HW + p.rows.lowerBound * outW
                            rowMajorSgemm(transposeA: true, transposeB: false, m: K, n: band, k: Og, wg, lda: K,
                                          gg, ldb: gradientStride, beta: 1, target, ldc: HW)
                            continue
                        }
                        // d(cols) = W_gᵀ · dY_g, folded back onto the input.
                        rowMajorSgemm(transposeA: true, transposeB: false, m: K, n: width, k: Og, wg, lda: K,
                                      gg, ldb: gradientStride, beta: 0, buffers.columnGradients, ldc: width)
                        for i in 0..<p.images {
                            col2im(buffers.columnGradients + i * band, rowStride: width, channels: Cg, geometry: g,
                                   rows: p.rows, into: dx + ((p.image + i) * s.inChannels + group * Cg) * HW)
                        }
                    }
                }
            }
        }
        for lane in 1..<lanes {
            let sums = scratch[lane].parameters
            if let dw { addInPlace(dw, sums, count: weightCount) }
            if let db { addInPlace(db, sums + weightCount, count: O) }
        }
    }
}

/// `target[i] = source[i] + value`.
@inline(__always)
func addScalar(_ source: UnsafePointer<Float>, _ value: Float, into target: UnsafeMutablePointer<Float>, count: Int) {
    var k = 0
    let v = SIMD16<Float>(repeating: value)
    let s = UnsafeRawPointer(source), t = UnsafeMutableRawPointer(target)
    while k + 16 <= count {
        t.storeBytes(of: s.loadUnaligned(fromByteOffset: k &* 4, as: SIMD16<Float>.self) + v, toByteOffset: k &* 4,
                     as: SIMD16<Float>.self)
        k &+= 16
    }
    while k < count { target[k] = source[k] + value; k &+= 1 }
}

/// Σ source[0..<count], sixteen lanes at a time.
@inline(__always)
func sum(_ source: UnsafePointer<Float>, count: Int) -> Float {
    var k = 0
    var acc = SIMD16<Float>(repeating: 0)
    let s = UnsafeRawPointer(source)
    while k + 16 <= count {
        acc += s.loadUnaligned(fromByteOffset: k &* 4, as: SIMD16<Float>.self)
        k &+= 16
    }
    var total = acc.sum()
    while k < count { total += source[k]; k &+= 1 }
    return total
}

// MARK: Public operations

/// 2-D convolution (cross-correlation) of an NCHW batch, with PyTorch's semantics.
///
/// `input` is [N, C, H, W], `weight` is [out_channels, C / groups, kH, kW], `bias` is
/// [out_channels]. Each output size is floor((n + 2p − d(k − 1) − 1) / s) + 1. The forward pass
/// runs through Winograd F(2×2, 3×3) for 3×3 stride-1 layers with 16+ channels, a direct SIMD
/// kernel for inputs with few channels or short column matrices, and im2col + OpenBLAS `sgemm`
/// otherwise; the backward pass through Winograd or im2col/col2im + `sgemm`, on all cores.
/// A meta input gives a meta result.
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
        let dx = input.gradNode != nil ? try Tensor(uninitializedShape: input.shape) : nil
        let dw = weight.gradNode != nil ? try Tensor(uninitializedShape: weight.shape) : nil
        let db = bias?.gradNode != nil ? try Tensor(uninitializedShape: [setup.outChannels]) : nil
        try ConvolutionKernels.backward(input.storage.pointer, weight: weight.storage.pointer,
                                        outputGradient: g.storage.pointer, setup,
                                        inputGradient: dx?.storage.pointer, weightGradient: dw?.storage.pointer,
                                        biasGradient: db?.storage.pointer)
        return bias == nil ? [dx, dw] : [dx, dw, db]
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
        let dx = x.gradNode != nil ? try Tensor(uninitializedShape: x.shape) : nil
        let dk = k.gradNode != nil ? try Tensor(uninitializedShape: k.shape) : nil
        try ConvolutionKernels.backward(x.storage.pointer, weight: k.storage.pointer, outputGradient: g.storage.pointer,
                                        setup, inputGradient: dx?.storage.pointer, weightGradient: dk?.storage.pointer)
        return [dx, dk]
    }
}
