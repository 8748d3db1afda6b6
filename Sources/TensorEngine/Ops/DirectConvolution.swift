/// Direct convolution for inputs with few channels (the first layer of an MNIST network:
/// [N, 1, 28, 28] → 6 or 10 maps of 5×5). There im2col would copy every input element kh·kw
/// times to feed a GEMM with a K of only C·kh·kw, so the unfolding costs more than the product;
/// this kernel instead reads a zero-padded copy of the image straight from L1, sixteen output
/// columns per vector and four output channels per pass, with the bias as the initial sum.
enum DirectConvolution {
    /// Stride 1, no dilation or groups, at most four input channels, kernels up to 7×7, and rows
    /// of at least sixteen outputs.
    static func applies(_ s: ConvolutionSetup) -> Bool {
        let g = s.geometry
        return g.strideH == 1 && g.strideW == 1 && g.dilationH == 1 && g.dilationW == 1 && s.groups == 1
            && s.inChannels <= 4 && g.kernelH <= 7 && g.kernelW <= 7 && g.outputW >= 16 && s.outChannels >= 1
    }

    /// Each slot's buffer for a zero-padded image, zeroed here (the images copied in later
    /// cover the same interior, so the border stays zero).
    static func paddedImages(slots: Int, count: Int) throws -> [UnsafeMutablePointer<Float>] {
        try (0..<slots).map { slot in
            let buffer = try ScratchBuffer.workers[slot].columns.reserve(count, operation: "conv2d")
            buffer.update(repeating: 0, count: count)
            return buffer
        }
    }

    static func forward(_ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        _ s: ConvolutionSetup, into out: UnsafeMutablePointer<Float>) throws {
        let g = s.geometry, C = s.inChannels, O = s.outChannels
        let paddedH = g.inputH + 2 * g.padH, paddedW = g.inputW + 2 * g.padW
        let paddedCount = C * paddedH * paddedW
        let chunks = KernelThreads.chunks(for: s.batch, workPerItem: s.multiplyAdds / Swift.max(s.batch, 1))
        let paddedBuffers = try paddedImages(slots: chunks > 1 ? KernelThreads.count : 1, count: paddedCount)
        // Sixteen-column vectors: every sixteenth column, the last flush with the row's end
        // (overlapping its neighbour, which writes the same values).
        var starts = Array(stride(from: 0, to: g.outputW - 15, by: 16))
        if g.outputW % 16 != 0 { starts.append(g.outputW - 16) }
        let kh = g.kernelH, kw = g.kernelW, K = C * kh * kw
        KernelThreads.run(chunks: chunks, usesBLAS: false) { chunk, slot in
            let padded = paddedBuffers[slot]
            for n in KernelThreads.share(chunk, of: s.batch, parts: chunks) {
                WinogradKernels.pad(x + n * C * g.inputArea, channels: C, height: g.inputH, width: g.inputW, top: g.padH,
                                    left: g.padW, into: padded, paddedH: paddedH, paddedW: paddedW)
                let image = out + n * O * g.outputArea
                for oh in 0..<g.outputH {
                    for column in starts {
                        var o0 = 0
                        while o0 < O {
                            // Four channels per pass; past the last channel, repeat it (same values, same place).
                            let o1 = Swift.min(o0 + 1, O - 1), o2 = Swift.min(o0 + 2, O - 1), o3 = Swift.min(o0 + 3, O - 1)
                            var a0 = SIMD16<Float>(repeating: bias?[o0] ?? 0), a1 = SIMD16<Float>(repeating: bias?[o1] ?? 0)
                            var a2 = SIMD16<Float>(repeating: bias?[o2] ?? 0), a3 = SIMD16<Float>(repeating: bias?[o3] ?? 0)
                            let w0 = w + o0 * K, w1 = w + o1 * K, w2 = w + o2 * K, w3 = w + o3 * K
                            var tap = 0
                            for c in 0..<C {
                                for i in 0..<kh {
                                    let row = UnsafeRawPointer(padded + (c * paddedH + oh + i) * paddedW + column)
                                    for j in 0..<kw {
                                        let v = row.loadUnaligned(fromByteOffset: j &* 4, as: SIMD16<Float>.self)
                                        a0 = a0.addingProduct(v, SIMD16(repeating: w0[tap]))
                                        a1 = a1.addingProduct(v, SIMD16(repeating: w1[tap]))
                                        a2 = a2.addingProduct(v, SIMD16(repeating: w2[tap]))
                                        a3 = a3.addingProduct(v, SIMD16(repeating: w3[tap]))
                                        tap &+= 1
                                    }
                                }
                            }
                            let offset = oh * g.outputW + column
                            UnsafeMutableRawPointer(image + o0 * g.outputArea + offset).storeBytes(of: a0, as: SIMD16<Float>.self)
                            UnsafeMutableRawPointer(image + o1 * g.outputArea + offset).storeBytes(of: a1, as: SIMD16<Float>.self)
                            UnsafeMutableRawPointer(image + o2 * g.outputArea + offset).storeBytes(of: a2, as: SIMD16<Float>.self)
                            UnsafeMutableRawPointer(image + o3 * g.outputArea + offset).storeBytes(of: a3, as: SIMD16<Float>.self)
                            o0 += 4
                        }
                    }
                }
            }
        }
    }
}

/// Direct convolution with the output channels in the vector lanes (up to sixteen per pass),
/// for layers whose column matrix is short (C·kh·kw ≤ 400) but whose output rows are too narrow
/// for `DirectConvolution`, e.g. LeNet's Conv2d(6, 16, 5) on 14×14 maps (10×10 outputs). Eight
/// output positions share one pass over the taps: each tap loads one weight vector and
/// broadcasts eight input elements from a zero-padded copy of the image; the eight sums are
/// transposed into the NCHW output at the end.
enum ChannelVectorConvolution {
    static let positionsPerPass = 8

    static func applies(_ s: ConvolutionSetup) -> Bool {
        let g = s.geometry
        return s.groups == 1 && g.dilationH == 1 && g.dilationW == 1 && s.columnRows <= 400
            && s.outChannels % 16 == 0 && g.outputArea >= positionsPerPass
    }

    static func forward(_ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        _ s: ConvolutionSetup, into out: UnsafeMutablePointer<Float>) throws {
        let g = s.geometry, C = s.inChannels, O = s.outChannels, K = s.columnRows, L = g.outputArea
        let paddedH = g.inputH + 2 * g.padH, paddedW = g.inputW + 2 * g.padW
        let paddedCount = C * paddedH * paddedW
        let chunks = KernelThreads.chunks(for: s.batch, workPerItem: s.multiplyAdds / Swift.max(s.batch, 1))
        let paddedBuffers = try DirectConvolution.paddedImages(slots: chunks > 1 ? KernelThreads.count : 1, count: paddedCount)
        // Weights as [O/16][tap][16 lanes]; where each position and each tap starts in the padded image.
        var packed = [Float](repeating: 0, count: O * K)
        for o in 0..<O { for k in 0..<K { packed[((o / 16) * K + k) * 16 + o % 16] = w[o * K + k] } }
        var tapOffsets = [Int](repeating: 0, count: K)
        for c in 0..<C { for i in 0..<g.kernelH { for j in 0..<g.kernelW {
            tapOffsets[(c * g.kernelH + i) * g.kernelW + j] = (c * paddedH + i) * paddedW + j
        } } }
        var positionOffsets = [Int](repeating: 0, count: L)
        for oh in 0..<g.outputH { for ow in 0..<g.outputW {
            positionOffsets[oh * g.outputW + ow] = oh * g.strideH * paddedW + ow * g.strideW
        } }
        let P = positionsPerPass
        let rowBlocks = usesRowBlocks(s)
        let staging = try (0..<(rowBlocks ? (chunks > 1 ? KernelThreads.count : 1) : 0)).map { slot in
            try ScratchBuffer.workers[slot].gathered.reserve(16 * L, operation: "conv2d")
        }
        packed.withUnsafeBufferPointer { packedBuffer in
        tapOffsets.withUnsafeBufferPointer { tapBuffer in
        positionOffsets.withUnsafeBufferPointer { positionBuffer in
            let weights = UnsafeRawPointer(packedBuffer.baseAddress!), taps = tapBuffer.baseAddress!
            let positions = positionBuffer.baseAddress!
            KernelThreads.run(chunks: chunks, usesBLAS: false) { chunk, slot in
                let padded = paddedBuffers[slot]
                var sums = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(),
                            SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
                for n in KernelThreads.share(chunk, of: s.batch, parts: chunks) {
                    WinogradKernels.pad(x + n * C * g.inputArea, channels: C, height: g.inputH, width: g.inputW,
                                        top: g.padH, left: g.padW, into: padded, paddedH: paddedH, paddedW: paddedW)
                    let image = out + n * O * L
                    for block in 0..<(O / 16) {
                        let wb = weights + block * K * 64
                        var initial = SIMD16<Float>()
                        if let bias { for lane in 0..<16 { initial[lane] = bias[block * 16 + lane] } }
                        if rowBlocks {
                            rowBlockPasses(padded, weights: wb, initial: initial, s, paddedH: paddedH, paddedW: paddedW,
                                           staging: staging[slot], into: image + block * 16 * L)
                            continue
                        }
                        var p0 = 0
                        while p0 < L {
                            // The last pass is flush with the end (repeating positions writes the same values).
                            let first = Swift.min(p0, L - P)
                            let b0 = padded + positions[first], b1 = padded + positions[first + 1]
                            let b2 = padded + positions[first + 2], b3 = padded + positions[first + 3]
                            let b4 = padded + positions[first + 4], b5 = padded + positions[first + 5]
                            let b6 = padded + positions[first + 6], b7 = padded + positions[first + 7]
                            var a0 = initial, a1 = initial, a2 = initial, a3 = initial
                            var a4 = initial, a5 = initial, a6 = initial, a7 = initial
                            for k in 0..<K {
                                let wv = wb.load(fromByteOffset: k &* 64, as: SIMD16<Float>.self)
                                let t = taps[k]
                                a0 = a0.addingProduct(wv, SIMD16(repeating: b0[t]))
                                a1 = a1.addingProduct(wv, SIMD16(repeating: b1[t]))
                                a2 = a2.addingProduct(wv, SIMD16(repeating: b2[t]))
                                a3 = a3.addingProduct(wv, SIMD16(repeating: b3[t]))
                                a4 = a4.addingProduct(wv, SIMD16(repeating: b4[t]))
                                a5 = a5.addingProduct(wv, SIMD16(repeating: b5[t]))
                                a6 = a6.addingProduct(wv, SIMD16(repeating: b6[t]))
                                a7 = a7.addingProduct(wv, SIMD16(repeating: b7[t]))
                            }
                            sums = (a0, a1, a2, a3, a4, a5, a6, a7)
                            withUnsafeBytes(of: &sums) { raw in
                                let lanes = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                                for lane in 0..<16 {
                                    let row = image + (block * 16 + lane) * L + first
                                    for q in 0..<P { row[q] = lanes[q &* 16 &+ lane] }
                                }
                            }
                            p0 += P
                        }
                    }
                }
            }
        }
        }
        }
    }

    /// Rows per pass and columns per pass of `rowBlockPasses`.
    static let blockRows = 2, blockColumns = 10

    /// Stride 1 with at least 2×10 outputs: the layout `rowBlockPasses` handles.
    static func usesRowBlocks(_ s: ConvolutionSetup) -> Bool {
        let g = s.geometry
        return g.strideH == 1 && g.strideW == 1 && g.outputH >= blockRows && g.outputW >= blockColumns
    }

    /// Sixteen output channels of one image, 2 rows × 10 columns per pass: twenty sums in
    /// registers, so each tap loads one weight vector for twenty FMAs whose input elements are
    /// broadcast straight from memory at constant offsets from two row pointers (the general
    /// pass needs a pointer per position and a tap table, which made it load-bound). The last
    /// column block and row pair are flush with the image's end, overlapping their neighbours.
    @inline(__always)
    static func rowBlockPasses(_ padded: UnsafePointer<Float>, weights wb: UnsafeRawPointer, initial: SIMD16<Float>,
                               _ s: ConvolutionSetup, paddedH: Int, paddedW: Int, staging: UnsafeMutablePointer<Float>,
                               into image: UnsafeMutablePointer<Float>) {
        let g = s.geometry, C = s.inChannels, kh = g.kernelH, kw = g.kernelW, L = g.outputArea, W = g.outputW
        // The sums go to `staging` as [position][16 channels] with whole-vector stores, and are
        // transposed into the image's sixteen planes at the end, sixteen positions at a time in
        // registers: storing them lane by lane cost a fifth of the FMAs' time.
        let stage = UnsafeMutableRawPointer(staging)
        var r = 0
        while r < g.outputH {
            let oh = Swift.min(r, g.outputH - blockRows)
            var c0 = 0
            while c0 < W {
                let ow = Swift.min(c0, W - blockColumns)
                var a00 = initial, a01 = initial, a02 = initial, a03 = initial, a04 = initial
                var a05 = initial, a06 = initial, a07 = initial, a08 = initial, a09 = initial
                var a10 = initial, a11 = initial, a12 = initial, a13 = initial, a14 = initial
                var a15 = initial, a16 = initial, a17 = initial, a18 = initial, a19 = initial
                var k = 0
                for c in 0..<C {
                    for i in 0..<kh {
                        let p = padded + (c * paddedH + oh + i) * paddedW + ow
                        let q = p + paddedW
                        for j in 0..<kw {
                            let wv = wb.load(fromByteOffset: k &* 64, as: SIMD16<Float>.self)
                            k &+= 1
                            a00 = a00.addingProduct(wv, SIMD16(repeating: p[j]))
                            a01 = a01.addingProduct(wv, SIMD16(repeating: p[j &+ 1]))
                            a02 = a02.addingProduct(wv, SIMD16(repeating: p[j &+ 2]))
                            a03 = a03.addingProduct(wv, SIMD16(repeating: p[j &+ 3]))
                            a04 = a04.addingProduct(wv, SIMD16(repeating: p[j &+ 4]))
                            a05 = a05.addingProduct(wv, SIMD16(repeating: p[j &+ 5]))
                            a06 = a06.addingProduct(wv, SIMD16(repeating: p[j &+ 6]))
                            a07 = a07.addingProduct(wv, SIMD16(repeating: p[j &+ 7]))
                            a08 = a08.addingProduct(wv, SIMD16(repeating: p[j &+ 8]))
                            a09 = a09.addingProduct(wv, SIMD16(repeating: p[j &+ 9]))
                            a10 = a10.addingProduct(wv, SIMD16(repeating: q[j]))
                            a11 = a11.addingProduct(wv, SIMD16(repeating: q[j &+ 1]))
                            a12 = a12.addingProduct(wv, SIMD16(repeating: q[j &+ 2]))
                            a13 = a13.addingProduct(wv, SIMD16(repeating: q[j &+ 3]))
                            a14 = a14.addingProduct(wv, SIMD16(repeating: q[j &+ 4]))
                            a15 = a15.addingProduct(wv, SIMD16(repeating: q[j &+ 5]))
                            a16 = a16.addingProduct(wv, SIMD16(repeating: q[j &+ 6]))
                            a17 = a17.addingProduct(wv, SIMD16(repeating: q[j &+ 7]))
                            a18 = a18.addingProduct(wv, SIMD16(repeating: q[j &+ 8]))
                            a19 = a19.addingProduct(wv, SIMD16(repeating: q[j &+ 9]))
                        }
                    }
                }
                let s0 = stage + (oh * W + ow) * 64, s1 = s0 + W * 64
                s0.storeBytes(of: a00, toByteOffset: 0, as: SIMD16<Float>.self)
                s0.storeBytes(of: a01, toByteOffset: 64, as: SIMD16<Float>.self)
                s0.storeBytes(of: a02, toByteOffset: 128, as: SIMD16<Float>.self)
                s0.storeBytes(of: a03, toByteOffset: 192, as: SIMD16<Float>.self)
                s0.storeBytes(of: a04, toByteOffset: 256, as: SIMD16<Float>.self)
                s0.storeBytes(of: a05, toByteOffset: 320, as: SIMD16<Float>.self)
                s0.storeBytes(of: a06, toByteOffset: 384, as: SIMD16<Float>.self)
                s0.storeBytes(of: a07, toByteOffset: 448, as: SIMD16<Float>.self)
                s0.storeBytes(of: a08, toByteOffset: 512, as: SIMD16<Float>.self)
                s0.storeBytes(of: a09, toByteOffset: 576, as: SIMD16<Float>.self)
                s1.storeBytes(of: a10, toByteOffset: 0, as: SIMD16<Float>.self)
                s1.storeBytes(of: a11, toByteOffset: 64, as: SIMD16<Float>.self)
                s1.storeBytes(of: a12, toByteOffset: 128, as: SIMD16<Float>.self)
                s1.storeBytes(of: a13, toByteOffset: 192, as: SIMD16<Float>.self)
                s1.storeBytes(of: a14, toByteOffset: 256, as: SIMD16<Float>.self)
                s1.storeBytes(of: a15, toByteOffset: 320, as: SIMD16<Float>.self)
                s1.storeBytes(of: a16, toByteOffset: 384, as: SIMD16<Float>.self)
                s1.storeBytes(of: a17, toByteOffset: 448, as: SIMD16<Float>.self)
                s1.storeBytes(of: a18, toByteOffset: 512, as: SIMD16<Float>.self)
                s1.storeBytes(of: a19, toByteOffset: 576, as: SIMD16<Float>.self)
                c0 += blockColumns
            }
            r += blockRows
        }
        // L ≥ 20 here, so every block of sixteen positions exists; the last is flush with the end.
        var first = 0
        while first < L {
            let b = Swift.min(first, L - 16)
            transpose16(UnsafeRawPointer(stage + b * 64), into: image + b, rowStride: L)
            first += 16
        }
    }

    /// Rows 0…15 of the 16×16 block at `source` (sixteen contiguous vectors) become columns:
    /// column `o` is stored at `target + o·rowStride`. Four perfect shuffles of the 256
    /// elements (each rotates their 8-bit index by one bit) make the transpose.
    @inline(__always)
    static func transpose16(_ source: UnsafeRawPointer, into target: UnsafeMutablePointer<Float>, rowStride: Int) {
        var rows = (source.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 256, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 320, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 384, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 448, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 512, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 576, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 640, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 704, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 768, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 832, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 896, as: SIMD16<Float>.self),
                    source.loadUnaligned(fromByteOffset: 960, as: SIMD16<Float>.self))
        for _ in 0..<4 {
            // New row m = interleave(half m%2 of row m/2, the same half of row 8 + m/2).
            let (r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15) = rows
            rows = (interleave(r0.lowHalf, r8.lowHalf), interleave(r0.highHalf, r8.highHalf),
                    interleave(r1.lowHalf, r9.lowHalf), interleave(r1.highHalf, r9.highHalf),
                    interleave(r2.lowHalf, r10.lowHalf), interleave(r2.highHalf, r10.highHalf),
                    interleave(r3.lowHalf, r11.lowHalf), interleave(r3.highHalf, r11.highHalf),
                    interleave(r4.lowHalf, r12.lowHalf), interleave(r4.highHalf, r12.highHalf),
                    interleave(r5.lowHalf, r13.lowHalf), interleave(r5.highHalf, r13.highHalf),
                    interleave(r6.lowHalf, r14.lowHalf), interleave(r6.highHalf, r14.highHalf),
                    interleave(r7.lowHalf, r15.lowHalf), interleave(r7.highHalf, r15.highHalf))
        }
        let out = UnsafeMutableRawPointer(target), stride = rowStride * 4
        out.storeBytes(of: rows.0, toByteOffset: 0, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.1, toByteOffset: stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.2, toByteOffset: 2 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.3, toByteOffset: 3 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.4, toByteOffset: 4 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.5, toByteOffset: 5 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.6, toByteOffset: 6 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.7, toByteOffset: 7 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.8, toByteOffset: 8 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.9, toByteOffset: 9 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.10, toByteOffset: 10 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.11, toByteOffset: 11 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.12, toByteOffset: 12 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.13, toByteOffset: 13 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.14, toByteOffset: 14 * stride, as: SIMD16<Float>.self)
        out.storeBytes(of: rows.15, toByteOffset: 15 * stride, as: SIMD16<Float>.self)
    }
}
