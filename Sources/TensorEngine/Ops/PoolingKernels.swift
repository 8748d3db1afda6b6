/// The loops behind `maxPool2d` and `avgPool2d`: one pass over the input per direction, the
/// planes (N·C) split between the cores. The common 2×2 window with stride 2 that tiles the
/// input exactly has its own kernels, eight outputs at a time; its backward pass writes every
/// input gradient once instead of zeroing and scattering.
enum PoolingKernels {
    /// True when windows are 2×2, stride 2, unpadded, tile the input exactly, and an output
    /// row holds at least eight elements (one vector).
    static func isTwoByTwo(_ g: WindowGeometry) -> Bool {
        g.kernelH == 2 && g.kernelW == 2 && g.strideH == 2 && g.strideW == 2 && g.padH == 0 && g.padW == 0
            && g.dilationH == 1 && g.dilationW == 1 && g.inputH == 2 * g.outputH && g.inputW == 2 * g.outputW
            && g.outputW >= 8
    }

    /// Output columns where a vector of eight starts: every eighth, the last one flush with the
    /// row's end (overlapping its neighbour; both write the same values).
    @inline(__always)
    static func vectorStarts(_ width: Int) -> [Int] {
        var starts = Array(stride(from: 0, to: width - 7, by: 8))
        if width % 8 != 0 { starts.append(width - 8) }
        return starts
    }

    /// Runs `body(planes)` over the planes split between the cores.
    @inline(__always)
    static func forPlanes(_ planes: Int, elementsPerPlane: Int, _ body: (Range<Int>) -> Void) {
        let chunks = KernelThreads.chunks(for: planes, workPerItem: elementsPerPlane)
        KernelThreads.run(chunks: chunks, usesBLAS: false) { chunk, _ in body(KernelThreads.share(chunk, of: planes, parts: chunks)) }
    }

    // MARK: 2×2, stride 2

    /// y = the maximum of each 2×2 block; `codes` records which of its four elements (0…3 in
    /// row-major order, the first of equal maxima, NaN propagating) it was. Codes are kept as
    /// Float so that both passes compare and select in float lanes (integer lane comparisons
    /// of small SIMD types compile to a loop per lane).
    static func max2x2Forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, codes: UnsafeMutablePointer<Float>,
                              planes: Int, _ g: WindowGeometry) {
        let W = g.inputW, OH = g.outputH, OW = g.outputW
        let starts = vectorStarts(OW)
        forPlanes(planes, elementsPerPlane: g.inputArea) { range in
            for plane in range {
                for oh in 0..<OH {
                    let top = UnsafeRawPointer(x + plane * g.inputArea + 2 * oh * W)
                    let bottom = top + W * 4
                    let outOffset = plane * g.outputArea + oh * OW
                    for p in starts {
                        let t = top.loadUnaligned(fromByteOffset: p * 8, as: SIMD16<Float>.self)
                        let b = bottom.loadUnaligned(fromByteOffset: p * 8, as: SIMD16<Float>.self)
                        var best = t.evenHalf
                        var code = SIMD8<Float>(repeating: 0)
                        // Strictly greater keeps the first of equal maxima; a NaN always wins.
                        let c1 = t.oddHalf, c2 = b.evenHalf, c3 = b.oddHalf
                        let take1 = (c1 .> best) .| (c1 .!= c1)
                        best.replace(with: c1, where: take1)
                        code.replace(with: 1, where: take1)
                        let take2 = (c2 .> best) .| (c2 .!= c2)
                        best.replace(with: c2, where: take2)
                        code.replace(with: 2, where: take2)
                        let take3 = (c3 .> best) .| (c3 .!= c3)
                        best.replace(with: c3, where: take3)
                        code.replace(with: 3, where: take3)
                        UnsafeMutableRawPointer(y + outOffset + p).storeBytes(of: best, as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(codes + outOffset + p).storeBytes(of: code, as: SIMD8<Float>.self)
                    }
                }
            }
        }
    }

    /// dx = the output gradient at each block's recorded maximum, zero elsewhere.
    static func max2x2Backward(_ dy: UnsafePointer<Float>, codes: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                               planes: Int, _ g: WindowGeometry) {
        let W = g.inputW, OH = g.outputH, OW = g.outputW
        let starts = vectorStarts(OW)
        let zero = SIMD8<Float>(repeating: 0)
        forPlanes(planes, elementsPerPlane: g.inputArea) { range in
            for plane in range {
                for oh in 0..<OH {
                    let top = UnsafeMutableRawPointer(dx + plane * g.inputArea + 2 * oh * W)
                    let bottom = top + W * 4
                    let outOffset = plane * g.outputArea + oh * OW
                    for p in starts {
                        let gradient = UnsafeRawPointer(dy + outOffset + p).loadUnaligned(as: SIMD8<Float>.self)
                        let code = UnsafeRawPointer(codes + outOffset + p).loadUnaligned(as: SIMD8<Float>.self)
                        let t = interleave(zero.replacing(with: gradient, where: code .== 0),
                                           zero.replacing(with: gradient, where: code .== 1))
                        let b = interleave(zero.replacing(with: gradient, where: code .== 2),
                                           zero.replacing(with: gradient, where: code .== 3))
                        top.storeBytes(of: t, toByteOffset: p * 8, as: SIMD16<Float>.self)
                        bottom.storeBytes(of: b, toByteOffset: p * 8, as: SIMD16<Float>.self)
                    }
                }
            }
        }
    }

    /// y = the mean of each 2×2 block.
    static func avg2x2Forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, planes: Int, _ g: WindowGeometry) {
        let W = g.inputW, OH = g.outputH, OW = g.outputW
        let starts = vectorStarts(OW)
        forPlanes(planes, elementsPerPlane: g.inputArea) { range in
            for plane in range {
                for oh in 0..<OH {
                    let top = UnsafeRawPointer(x + plane * g.inputArea + 2 * oh * W)
                    let bottom = top + W * 4
                    let out = UnsafeMutableRawPointer(y + plane * g.outputArea + oh * OW)
                    for p in starts {
                        let t = top.loadUnaligned(fromByteOffset: p * 8, as: SIMD16<Float>.self)
                        let b = bottom.loadUnaligned(fromByteOffset: p * 8, as: SIMD16<Float>.self)
                        let mean = ((t.evenHalf + t.oddHalf) + (b.evenHalf + b.oddHalf)) * 0.25
                        out.storeBytes(of: mean, toByteOffset: p * 4, as: SIMD8<Float>.self)
                    }
                }
            }
        }
    }

    /// dx = a quarter of the output gradient of each element's block.
    static func avg2x2Backward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, planes: Int, _ g: WindowGeometry) {
        let W = g.inputW, OH = g.outputH, OW = g.outputW
        let starts = vectorStarts(OW)
        forPlanes(planes, elementsPerPlane: g.inputArea) { range in
            for plane in range {
                for oh in 0..<OH {
                    let top = UnsafeMutableRawPointer(dx + plane * g.inputArea + 2 * oh * W)
                    let bottom = top + W * 4
                    let gradient = UnsafeRawPointer(dy + plane * g.outputArea + oh * OW)
                    for p in starts {
                        let share = gradient.loadUnaligned(fromByteOffset: p * 4, as: SIMD8<Float>.self) * 0.25
                        let both = interleave(share, share)
                        top.storeBytes(of: both, toByteOffset: p * 8, as: SIMD16<Float>.self)
                        bottom.storeBytes(of: both, toByteOffset: p * 8, as: SIMD16<Float>.self)
                    }
                }
            }
        }
    }

    // MARK: Any window

    /// y = each window's maximum (padding counts as −∞, NaN propagates); `indices` gets its
    /// position inside the plane.
    static func maxForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>,
                           planes: Int, _ g: WindowGeometry) {
        let rows = (0..<g.outputH).map { oh in
            (0..<g.kernelH).map { oh * g.strideH - g.padH + $0 * g.dilationH }.filter { $0 >= 0 && $0 < g.inputH }
        }
        let cols = (0..<g.outputW).map { ow in
            (0..<g.kernelW).map { ow * g.strideW - g.padW + $0 * g.dilationW }.filter { $0 >= 0 && $0 < g.inputW }
        }
        forPlanes(planes, elementsPerPlane: g.outputArea * g.kernelArea) { range in
            for plane in range {
                let source = x + plane * g.inputArea
                let target = y + plane * g.outputArea, index = indices + plane * g.outputArea
                for oh in 0..<g.outputH {
                    for ow in 0..<g.outputW {
                        var best = -Float.infinity
                        var bestIndex = -1
                        for ih in rows[oh] {
                            let row = ih * g.inputW
                            for iw in cols[ow] {
                                let v = source[row + iw]
                                if v > best || v.isNaN || bestIndex < 0 {
                                    best = v
                                    bestIndex = row + iw
                                }
                            }
                        }
                        target[oh * g.outputW + ow] = best
                        index[oh * g.outputW + ow] = Int32(Swift.max(bestIndex, 0))
                    }
                }
            }
        }
    }

    /// dx = Σ of the output gradients whose window maximum each element was.
    static func maxBackward(_ dy: UnsafePointer<Float>, indices: UnsafePointer<Int32>, _ dx: UnsafeMutablePointer<Float>,
                            planes: Int, _ g: WindowGeometry) {
        forPlanes(planes, elementsPerPlane: g.inputArea) { range in
            for plane in range {
                let d = dx + plane * g.inputArea, gradient = dy + plane * g.outputArea
                let index = indices + plane * g.outputArea
                d.update(repeating: 0, count: g.inputArea)
                for o in 0..<g.outputArea { d[Int(index[o])] += gradient[o] }
            }
        }
    }

    /// One window of average pooling: its clipped bounds and reciprocal divisor.
    struct AverageWindow {
        var h0: Int, h1: Int, w0: Int, w1: Int
        var scale: Float
    }

    /// The windows of every output position, shared by all planes and by the backward pass.
    static func averageWindows(_ g: WindowGeometry, countIncludePad: Bool) -> [AverageWindow] {
        var windows: [AverageWindow] = []
        windows.reserveCapacity(g.outputArea)
        for oh in 0..<g.outputH {
            for ow in 0..<g.outputW {
                var h0 = oh * g.strideH - g.padH, w0 = ow * g.strideW - g.padW
                var h1 = Swift.min(h0 + g.kernelH, g.inputH + g.padH), w1 = Swift.min(w0 + g.kernelW, g.inputW + g.padW)
                let paddedSize = (h1 - h0) * (w1 - w0)
                h0 = Swift.max(h0, 0); w0 = Swift.max(w0, 0)
                h1 = Swift.max(Swift.min(h1, g.inputH), h0); w1 = Swift.max(Swift.min(w1, g.inputW), w0)
                let divisor = countIncludePad ? paddedSize : (h1 - h0) * (w1 - w0)
                windows.append(AverageWindow(h0: h0, h1: h1, w0: w0, w1: w1, scale: divisor > 0 ? 1 / Float(divisor) : 0))
            }
        }
        return windows
    }

    static func avgForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, windows: [AverageWindow],
                           planes: Int, _ g: WindowGeometry) {
        windows.withUnsafeBufferPointer { win in
            forPlanes(planes, elementsPerPlane: g.outputArea * g.kernelArea) { range in
                for plane in range {
                    let source = x + plane * g.inputArea, target = y + plane * g.outputArea
                    for o in 0..<g.outputArea {
                        let w = win[o]
                        var acc: Float = 0
                        for ih in w.h0..<w.h1 {
                            let row = source + ih * g.inputW
                            for iw in w.w0..<w.w1 { acc += row[iw] }
                        }
                        target[o] = acc * w.scale
                    }
                }
            }
        }
    }

    static func avgBackward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, windows: [AverageWindow],
                            planes: Int, _ g: WindowGeometry) {
        windows.withUnsafeBufferPointer { win in
            forPlanes(planes, elementsPerPlane: g.inputArea + g.outputArea * g.kernelArea) { range in
                for plane in range {
                    let d = dx + plane * g.inputArea, gradient = dy + plane * g.outputArea
                    d.update(repeating: 0, count: g.inputArea)
                    for o in 0..<g.outputArea {
                        let w = win[o]
                        let share = gradient[o] * w.scale
                        for ih in w.h0..<w.h1 {
                            let row = d + ih * g.inputW
                            for iw in w.w0..<w.w1 { row[iw] += share }
                        }
                    }
                }
            }
        }
    }
}
