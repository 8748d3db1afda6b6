/// Winograd's minimal filtering F(2×2, 3×3) for 3×3 convolutions with stride 1: each 2×2 block
/// of outputs ("tile") comes from a 4×4 input patch with 16 multiplications per channel pair
/// instead of 36, so the GEMM work is 2.25 times smaller than im2col's.
///
/// With Bᵀ, G and Aᵀ the transforms of Lavin & Gray (2016): U = G g Gᵀ per filter,
/// V = Bᵀ d Bᵀᵀ per input patch, and per tile Y = Aᵀ (Σ_c U ⊙ V) Aᵀᵀ. The 16 positions ξ of the
/// 4×4 transformed tile are 16 independent GEMMs M[ξ] (O×T) = U[ξ] (O×C) · V[ξ] (C×T) over T tiles.
/// The transforms run sixteen tiles per vector along a row of tiles (a row of tiles is padded
/// to a multiple of sixteen). The input gradient is the same convolution of the output gradient
/// with the filters turned 180° and transposed; the weight gradient runs the adjoints:
/// Ū[ξ] = Σ_tiles (A Ȳ Aᵀ)[ξ] V[ξ]ᵀ and ḡ = Gᵀ Ū G.
struct WinogradPlan {
    var batch: Int, inChannels: Int, outChannels: Int
    var inputH: Int, inputW: Int, padH: Int, padW: Int
    var outputH: Int, outputW: Int

    var tilesH: Int { (outputH + 1) / 2 }
    var tilesW: Int { (outputW + 1) / 2 }
    /// Tiles per row of tiles, rounded up to whole vectors.
    var tilesWPadded: Int { (tilesW + 15) / 16 * 16 }
    /// The zero-padded copy of one image: every patch of every (padded) tile lies inside it.
    var paddedH: Int { 2 * tilesH + 2 }
    var paddedW: Int { 2 * tilesWPadded + 2 }
    /// Rows of tiles transformed and multiplied together: about 128 tiles, so that V and M of
    /// one chunk stay in the core's L2 cache.
    var tileRowsPerChunk: Int { Swift.max(1, Swift.min(tilesH, 128 / tilesWPadded)) }
    var tilesPerChunk: Int { tileRowsPerChunk * tilesWPadded }

    /// The case Winograd serves: 3×3, stride 1, no dilation or groups, padding at most 2 (so the
    /// input gradient is a Winograd convolution too), enough channels for its GEMMs to pay, and
    /// rows of at least eight outputs.
    static func applies(_ s: ConvolutionSetup) -> Bool {
        let g = s.geometry
        return g.kernelH == 3 && g.kernelW == 3 && g.strideH == 1 && g.strideW == 1 && g.dilationH == 1
            && g.dilationW == 1 && s.groups == 1 && g.padH <= 2 && g.padW <= 2
            && s.inChannels >= 16 && s.outChannels >= 16 && g.outputW >= 16 && g.outputH >= 2
    }

    init(_ s: ConvolutionSetup) {
        let g = s.geometry
        batch = s.batch; inChannels = s.inChannels; outChannels = s.outChannels
        inputH = g.inputH; inputW = g.inputW; padH = g.padH; padW = g.padW
        outputH = g.outputH; outputW = g.outputW
    }

    /// The plan of the input gradient: the output gradient convolved with padding 2 − p.
    var inputGradientPlan: WinogradPlan {
        var p = self
        p.inChannels = outChannels; p.outChannels = inChannels
        p.inputH = outputH; p.inputW = outputW; p.padH = 2 - padH; p.padW = 2 - padW
        p.outputH = inputH; p.outputW = inputW
        return p
    }
}

enum WinogradKernels {
    /// G·(t0, t1, t2) with G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]].
    @inline(__always)
    static func applyG(_ t0: Float, _ t1: Float, _ t2: Float) -> (Float, Float, Float, Float) {
        (t0, 0.5 * (t0 + t1 + t2), 0.5 * (t0 - t1 + t2), t2)
    }

    /// Gᵀ·(v0, v1, v2, v3).
    @inline(__always)
    static func applyGTransposed(_ v0: Float, _ v1: Float, _ v2: Float, _ v3: Float) -> (Float, Float, Float) {
        (v0 + 0.5 * (v1 + v2), 0.5 * (v1 - v2), 0.5 * (v1 + v2) + v3)
    }

    /// U[ξ][o][c] = (G g[o][c] Gᵀ)[ξ] for weights [O, C, 3, 3]; with `flipped`, for the
    /// transposed and 180°-turned weights of the input gradient (U[ξ][c][o]).
    static func transformWeights(_ w: UnsafePointer<Float>, outChannels O: Int, inChannels C: Int, flipped: Bool) -> [Float] {
        [Float](unsafeUninitializedCapacity: 16 * O * C) { u, count in
            for o in 0..<O {
                for c in 0..<C {
                    let g = w + (o * C + c) * 9
                    // The filter's tap (i, j), turned 180° for the input gradient.
                    @inline(__always) func tap(_ i: Int, _ j: Int) -> Float { flipped ? g[(2 - i) * 3 + (2 - j)] : g[i * 3 + j] }
                    // Columns of G·g (4×3), then each row of that times Gᵀ.
                    let c0 = applyG(tap(0, 0), tap(1, 0), tap(2, 0))
                    let c1 = applyG(tap(0, 1), tap(1, 1), tap(2, 1))
                    let c2 = applyG(tap(0, 2), tap(1, 2), tap(2, 2))
                    let offset = flipped ? c * O + o : o * C + c
                    @inline(__always) func store(_ a: Int, _ r: (Float, Float, Float, Float)) {
                        u[(a * 4) * O * C + offset] = r.0
                        u[(a * 4 + 1) * O * C + offset] = r.1
                        u[(a * 4 + 2) * O * C + offset] = r.2
                        u[(a * 4 + 3) * O * C + offset] = r.3
                    }
                    store(0, applyG(c0.0, c1.0, c2.0))
                    store(1, applyG(c0.1, c1.1, c2.1))
                    store(2, applyG(c0.2, c1.2, c2.2))
                    store(3, applyG(c0.3, c1.3, c2.3))
                }
            }
            count = 16 * O * C
        }
    }

    /// Copies image planes [C, H, W] into the interior of the zero-bordered planes [C, pH, pW]
    /// at offset (top, left); the border must already be zero.
    @inline(__always)
    static func pad(_ x: UnsafePointer<Float>, channels: Int, height H: Int, width W: Int, top: Int, left: Int,
                    into padded: UnsafeMutablePointer<Float>, paddedH: Int, paddedW: Int) {
        for c in 0..<channels {
            for h in 0..<H {
                (padded + (c * paddedH + h + top) * paddedW + left).update(from: x + (c * H + h) * W, count: W)
            }
        }
    }

    /// V[ξ][c][t] = (Bᵀ d Bᵀᵀ)[ξ] for the patches of tile rows `tileRows` of the padded image.
    @inline(__always)
    static func transformInput(_ padded: UnsafePointer<Float>, _ p: WinogradPlan, channels C: Int, tileRows: Range<Int>,
                               into v: UnsafeMutablePointer<Float>) {
        let T = tileRows.count * p.tilesWPadded, pH = p.paddedH, pW = p.paddedW
        let out = UnsafeMutableRawPointer(v)
        for c in 0..<C {
            for th in tileRows {
                let base = UnsafeRawPointer(padded + (c * pH + 2 * th) * pW)
                for v0 in stride(from: 0, to: p.tilesWPadded, by: 16) {
                    // z[k][j]: row k of the patch times Bᵀᵀ.
                    @inline(__always) func rowTransform(_ k: Int) -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
                        let r = base + (k * pW + 2 * v0) * 4
                        let a = r.loadUnaligned(as: SIMD32<Float>.self), b = r.loadUnaligned(fromByteOffset: 8, as: SIMD32<Float>.self)
                        let d0 = a.evenHalf, d1 = a.oddHalf, d2 = b.evenHalf, d3 = b.oddHalf
                        return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
                    }
                    let z0 = rowTransform(0), z1 = rowTransform(1), z2 = rowTransform(2), z3 = rowTransform(3)
                    let t = (th - tileRows.lowerBound) * p.tilesWPadded + v0
                    @inline(__always) func store(_ xi: Int, _ value: SIMD16<Float>) {
                        out.storeBytes(of: value, toByteOffset: ((xi * C + c) * T + t) * 4, as: SIMD16<Float>.self)
                    }
                    store(0, z0.0 - z2.0); store(1, z0.1 - z2.1); store(2, z0.2 - z2.2); store(3, z0.3 - z2.3)
                    store(4, z1.0 + z2.0); store(5, z1.1 + z2.1); store(6, z1.2 + z2.2); store(7, z1.3 + z2.3)
                    store(8, z2.0 - z1.0); store(9, z2.1 - z1.1); store(10, z2.2 - z1.2); store(11, z2.3 - z1.3)
                    store(12, z1.0 - z3.0); store(13, z1.1 - z3.1); store(14, z1.2 - z3.2); store(15, z1.3 - z3.3)
                }
            }
        }
    }

    /// Y = Aᵀ M Aᵀᵀ (+ bias) for the tiles of tile rows `tileRows`, written into the output planes [O, outH, outW].
    @inline(__always)
    static func transformOutput(_ m: UnsafePointer<Float>, _ p: WinogradPlan, tileRows: Range<Int>, bias: UnsafePointer<Float>?,
                                into y: UnsafeMutablePointer<Float>) {
        let O = p.outChannels, T = tileRows.count * p.tilesWPadded, outH = p.outputH, outW = p.outputW
        let source = UnsafeRawPointer(m)
        var spill = SIMD32<Float>()
        for o in 0..<O {
            let b = SIMD16<Float>(repeating: bias?[o] ?? 0)
            for th in tileRows {
                for v0 in stride(from: 0, to: p.tilesWPadded, by: 16) {
                    let t = (th - tileRows.lowerBound) * p.tilesWPadded + v0
                    @inline(__always) func load(_ xi: Int) -> SIMD16<Float> {
                        source.loadUnaligned(fromByteOffset: ((xi * O + o) * T + t) * 4, as: SIMD16<Float>.self)
                    }
                    // s0 = rows 0 + 1 + 2, s1 = rows 1 − 2 − 3, per column j.
                    let m1 = (load(4), load(5), load(6), load(7)), m2 = (load(8), load(9), load(10), load(11))
                    let m0 = (load(0), load(1), load(2), load(3)), m3 = (load(12), load(13), load(14), load(15))
                    let s0 = (m0.0 + m1.0 + m2.0, m0.1 + m1.1 + m2.1, m0.2 + m1.2 + m2.2, m0.3 + m1.3 + m2.3)
                    let s1 = (m1.0 - m2.0 - m3.0, m1.1 - m2.1 - m3.1, m1.2 - m2.2 - m3.2, m1.3 - m2.3 - m3.3)
                    let top = interleave(s0.0 + s0.1 + s0.2 + b, s0.1 - s0.2 - s0.3 + b)
                    let bottom = interleave(s1.0 + s1.1 + s1.2 + b, s1.1 - s1.2 - s1.3 + b)
                    let column = 2 * v0, valid = Swift.min(32, outW - column)
                    if valid <= 0 { continue }
                    @inline(__always) func store(_ row: Int, _ value: SIMD32<Float>) {
                        if row >= outH { return }
                        let target = y + (o * outH + row) * outW + column
                        if valid == 32 {
                            UnsafeMutableRawPointer(target).storeBytes(of: value, as: SIMD32<Float>.self)
                        } else {
                            spill = value
                            withUnsafeBytes(of: &spill) {
                                target.update(from: $0.baseAddress!.assumingMemoryBound(to: Float.self), count: valid)
                            }
                        }
                    }
                    store(2 * th, top)
                    store(2 * th + 1, bottom)
                }
            }
        }
    }
}

extension WinogradKernels {
    /// Ȳ's adjoint transform m̄ = A Ȳ Aᵀ for the tiles of tile rows `tileRows`, from the output
    /// gradient planes zero-padded to [O, 2·tilesH, 2·tilesWPadded].
    @inline(__always)
    static func transformGradient(_ padded: UnsafePointer<Float>, _ p: WinogradPlan, tileRows: Range<Int>,
                                  into mg: UnsafeMutablePointer<Float>) {
        let O = p.outChannels, T = tileRows.count * p.tilesWPadded
        let rowsPerPlane = 2 * p.tilesH, width = 2 * p.tilesWPadded
        let out = UnsafeMutableRawPointer(mg)
        for o in 0..<O {
            for th in tileRows {
                let base = UnsafeRawPointer(padded + (o * rowsPerPlane + 2 * th) * width)
                for v0 in stride(from: 0, to: p.tilesWPadded, by: 16) {
                    let top = base.loadUnaligned(fromByteOffset: 2 * v0 * 4, as: SIMD32<Float>.self)
                    let bottom = base.loadUnaligned(fromByteOffset: (width + 2 * v0) * 4, as: SIMD32<Float>.self)
                    let y00 = top.evenHalf, y01 = top.oddHalf, y10 = bottom.evenHalf, y11 = bottom.oddHalf
                    // R[i][b] = Σ_a Aᵀ[a][i] Ȳ[a][b], then m̄[i][j] = Σ_b R[i][b] Aᵀ[b][j].
                    let t = (th - tileRows.lowerBound) * p.tilesWPadded + v0
                    @inline(__always) func store(_ i: Int, _ r0: SIMD16<Float>, _ r1: SIMD16<Float>) {
                        out.storeBytes(of: r0, toByteOffset: (((4 * i) * O + o) * T + t) * 4, as: SIMD16<Float>.self)
                        out.storeBytes(of: r0 + r1, toByteOffset: (((4 * i + 1) * O + o) * T + t) * 4, as: SIMD16<Float>.self)
                        out.storeBytes(of: r0 - r1, toByteOffset: (((4 * i + 2) * O + o) * T + t) * 4, as: SIMD16<Float>.self)
                        out.storeBytes(of: -r1, toByteOffset: (((4 * i + 3) * O + o) * T + t) * 4, as: SIMD16<Float>.self)
                    }
                    store(0, y00, y01)
                    store(1, y00 + y10, y01 + y11)
                    store(2, y00 - y10, y01 - y11)
                    store(3, -y10, -y11)
                }
            }
        }
    }

    /// out[n] = the convolution of x[n] under plan `p`, with weights already transformed to
    /// U[ξ][O][C]; the images are split between the cores. Every output element is written.
    static func convolve(_ x: UnsafePointer<Float>, _ p: WinogradPlan, transformedWeights u: UnsafePointer<Float>,
                         bias: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>) throws {
        let C = p.inChannels, O = p.outChannels, T = p.tilesPerChunk
        let chunks = KernelThreads.chunks(for: p.batch, workPerItem: 16 * O * C * p.tilesH * p.tilesWPadded)
        let paddedCount = C * p.paddedH * p.paddedW
        var scratch: [(padded: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>)] = []
        for slot in 0..<(chunks > 1 ? KernelThreads.count : 1) {
            let set = ScratchBuffer.workers[slot]
            scratch.append((try set.columns.reserve(paddedCount, operation: "conv2d"),
                            try set.columnGradients.reserve(16 * C * T, operation: "conv2d"),
                            try set.gathered.reserve(16 * O * T, operation: "conv2d")))
            scratch[slot].padded.update(repeating: 0, count: paddedCount)
        }
        KernelThreads.run(chunks: chunks) { chunk, slot in
            let (padded, v, m) = scratch[slot]
            for n in KernelThreads.share(chunk, of: p.batch, parts: chunks) {
                pad(x + n * C * p.inputH * p.inputW, channels: C, height: p.inputH, width: p.inputW, top: p.padH, left: p.padW,
                    into: padded, paddedH: p.paddedH, paddedW: p.paddedW)
                var th0 = 0
                while th0 < p.tilesH {
                    let rows = th0..<Swift.min(th0 + p.tileRowsPerChunk, p.tilesH)
                    let t = rows.count * p.tilesWPadded
                    transformInput(padded, p, channels: C, tileRows: rows, into: v)
                    for xi in 0..<16 {
                        rowMajorSgemm(transposeA: false, transposeB: false, m: O, n: t, k: C, u + xi * O * C, lda: C,
                                      v + xi * C * t, ldb: t, beta: 0, m + xi * O * t, ldc: t)
                    }
                    transformOutput(m, p, tileRows: rows, bias: bias, into: out + n * O * p.outputH * p.outputW)
                    th0 = rows.upperBound
                }
            }
        }
    }

    /// dw = ∂L/∂w [O, C, 3, 3] and db = Σ dy per channel, from input x and output gradient dy.
    static func weightGradient(_ x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, _ p: WinogradPlan,
                               weightGradient dw: UnsafeMutablePointer<Float>?, biasGradient db: UnsafeMutablePointer<Float>?) throws {
        let C = p.inChannels, O = p.outChannels, T = p.tilesPerChunk, L = p.outputH * p.outputW
        let chunks = KernelThreads.chunks(for: p.batch, workPerItem: 16 * O * C * p.tilesH * p.tilesWPadded)
        let slots = chunks > 1 ? KernelThreads.count : 1
        let paddedCount = C * p.paddedH * p.paddedW
        let gradientH = 2 * p.tilesH, gradientW = 2 * p.tilesWPadded
        let gradientCount = O * gradientH * gradientW
        let sumsCount = 16 * O * C + O
        var scratch: [(padded: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                       m: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>)] = []
        for slot in 0..<slots {
            let set = ScratchBuffer.workers[slot]
            scratch.append((try set.columns.reserve(paddedCount, operation: "conv2d backward"),
                            try set.paddedGradient.reserve(gradientCount, operation: "conv2d backward"),
                            try set.columnGradients.reserve(16 * C * T, operation: "conv2d backward"),
                            try set.gathered.reserve(16 * O * T, operation: "conv2d backward"),
                            try set.parameterGradients.reserve(sumsCount, operation: "conv2d backward")))
            scratch[slot].padded.update(repeating: 0, count: paddedCount)
            scratch[slot].gradient.update(repeating: 0, count: gradientCount)
            scratch[slot].sums.update(repeating: 0, count: sumsCount)
        }
        // Sums are kept per lane (not per slot) so that their order is fixed.
        let lanes = KernelThreads.lanes(for: chunks)
        KernelThreads.runInLanes(chunks: chunks) { chunk, lane, slot in
            let buffers = scratch[slot]
            let sums = scratch[lane].sums
            let biasSums = sums + 16 * O * C
            for n in KernelThreads.share(chunk, of: p.batch, parts: chunks) {
                let dyImage = dy + n * O * L
                if db != nil {
                    for o in 0..<O { biasSums[o] += sum(dyImage + o * L, count: L) }
                }
                if dw == nil { continue }
                pad(x + n * C * p.inputH * p.inputW, channels: C, height: p.inputH, width: p.inputW, top: p.padH, left: p.padW,
                    into: buffers.padded, paddedH: p.paddedH, paddedW: p.paddedW)
                pad(dyImage, channels: O, height: p.outputH, width: p.outputW, top: 0, left: 0,
                    into: buffers.gradient, paddedH: gradientH, paddedW: gradientW)
                var th0 = 0
                while th0 < p.tilesH {
                    let rows = th0..<Swift.min(th0 + p.tileRowsPerChunk, p.tilesH)
                    let t = rows.count * p.tilesWPadded
                    transformInput(buffers.padded, p, channels: C, tileRows: rows, into: buffers.v)
                    transformGradient(buffers.gradient, p, tileRows: rows, into: buffers.m)
                    for xi in 0..<16 {
                        // Ū[ξ] += m̄[ξ] · V[ξ]ᵀ
                        rowMajorSgemm(transposeA: false, transposeB: true, m: O, n: C, k: t, buffers.m + xi * O * t, lda: t,
                                      buffers.v + xi * C * t, ldb: t, beta: 1, sums + xi * O * C, ldc: C)
                    }
                    th0 = rows.upperBound
                }
            }
        }
        let total = scratch[0].sums
        for lane in 1..<lanes { addInPlace(total, scratch[lane].sums, count: sumsCount) }
        if let db { db.update(from: total + 16 * O * C, count: O) }
        guard let dw else { return }
        // ḡ = Gᵀ Ū G: each column of Ū times Gᵀ, then each row of that times Gᵀ.
        let stride = O * C
        for o in 0..<O {
            for c in 0..<C {
                let base = total + o * C + c
                @inline(__always) func ubar(_ a: Int, _ b: Int) -> Float { base[(a * 4 + b) * stride] }
                let k0 = applyGTransposed(ubar(0, 0), ubar(1, 0), ubar(2, 0), ubar(3, 0))
                let k1 = applyGTransposed(ubar(0, 1), ubar(1, 1), ubar(2, 1), ubar(3, 1))
                let k2 = applyGTransposed(ubar(0, 2), ubar(1, 2), ubar(2, 2), ubar(3, 2))
                let k3 = applyGTransposed(ubar(0, 3), ubar(1, 3), ubar(2, 3), ubar(3, 3))
                let target = dw + (o * C + c) * 9
                let r0 = applyGTransposed(k0.0, k1.0, k2.0, k3.0)
                let r1 = applyGTransposed(k0.1, k1.1, k2.1, k3.1)
                let r2 = applyGTransposed(k0.2, k1.2, k2.2, k3.2)
                target[0] = r0.0; target[1] = r0.1; target[2] = r0.2
                target[3] = r1.0; target[4] = r1.1; target[5] = r1.2
                target[6] = r2.0; target[7] = r2.1; target[8] = r2.2
            }
        }
    }
}
