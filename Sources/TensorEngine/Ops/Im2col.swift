import Foundation
import COpenBLAS

/// The geometry of one 2-D sliding-window operation (convolution or pooling): kernel,
/// stride, padding, dilation and the resulting output size.
struct WindowGeometry {
    var kernelH: Int, kernelW: Int
    var strideH: Int, strideW: Int
    var padH: Int, padW: Int
    var dilationH: Int, dilationW: Int
    var inputH: Int, inputW: Int
    var outputH: Int, outputW: Int

    /// Rows of the column matrix per input channel.
    var kernelArea: Int { kernelH * kernelW }
    /// Columns of the column matrix per image.
    var outputArea: Int { outputH * outputW }
    var inputArea: Int { inputH * inputW }

    /// True when im2col would only copy the image (1×1 kernel, stride 1, no padding).
    var isPointwise: Bool {
        kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0
    }

    /// The largest kernel size, stride, padding or dilation accepted. With every window
    /// parameter at most 2^31 and sizes those of real tensors, no product or sum in the
    /// output-size formula or the kernels can overflow; PyTorch's own limit is lower.
    static let maximumParameter = 1 << 31

    /// Throws, naming the operation, the parameter and its value, when one is above `maximumParameter`.
    static func checkMagnitudes(_ operation: String, _ parameters: [(name: String, value: Int)]) throws {
        for p in parameters where p.value > maximumParameter {
            throw TensorError("\(operation): \(p.name) \(p.value) is too large (at most \(maximumParameter))")
        }
    }

    /// floor((n + 2p − d(k − 1) − 1) / s) + 1, or the ceiling variant of pooling (whose last
    /// window must still start inside the input or the left padding, as in PyTorch).
    static func outputSize(input n: Int, kernel k: Int, stride s: Int, padding p: Int, dilation d: Int,
                           ceilMode: Bool = false) -> Int {
        let span = n + 2 * p - d * (k - 1) - 1
        if span < 0 { return 0 }
        var out = (ceilMode ? (span + s - 1) / s : span / s) + 1
        if ceilMode && (out - 1) * s >= n + p { out -= 1 }
        return out
    }

    /// The output columns `ow` for which input column `ow * stride - pad + offset` lies in
    /// `0..<size`: the part of a column-matrix row that is copied rather than zero.
    @inline(__always)
    static func validRange(offset: Int, stride: Int, size: Int, count: Int) -> (Int, Int) {
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let last = size - 1 - offset
        let hi = last < 0 ? 0 : Swift.min(count, last / stride + 1)
        return (Swift.min(lo, hi), hi)
    }
}

/// Unfolds the `channels` planes at `source` into the column matrix used by convolution as a
/// GEMM: row `(c, i, j)` holds, for every output position of the output rows `rows`, the input
/// element that kernel tap `(i, j)` of channel `c` sees (zero in the padding). Rows are
/// `rowStride` apart, so several images (or row bands) can share one matrix side by side.
func im2col(_ source: UnsafePointer<Float>, channels: Int, geometry g: WindowGeometry, rows: Range<Int>? = nil,
            into columns: UnsafeMutablePointer<Float>, rowStride: Int) {
    let outW = g.outputW, H = g.inputH, W = g.inputW
    let rows = rows ?? 0..<g.outputH
    let r0 = rows.lowerBound, r1 = rows.upperBound
    var row = columns
    for c in 0..<channels {
        let plane = source + c &* H &* W
        for i in 0..<g.kernelH {
            // Output rows whose input row lies inside the image.
            let offsetH = i &* g.dilationH &- g.padH
            let (validLo, validHi) = WindowGeometry.validRange(offset: offsetH, stride: g.strideH, size: H, count: g.outputH)
            let lo0 = Swift.min(Swift.max(validLo, r0), r1), hi0 = Swift.max(Swift.min(validHi, r1), lo0)
            for j in 0..<g.kernelW {
                let offsetW = j &* g.dilationW &- g.padW
                let (lo, hi) = WindowGeometry.validRange(offset: offsetW, stride: g.strideW, size: W, count: outW)
                if lo0 > r0 { row.update(repeating: 0, count: (lo0 &- r0) &* outW) }
                if hi0 < r1 { (row + (hi0 &- r0) &* outW).update(repeating: 0, count: (r1 &- hi0) &* outW) }
                var out = row + (lo0 &- r0) &* outW
                var input = plane + ((lo0 &* g.strideH &+ offsetH) &* W &+ offsetW)
                let inputStep = g.strideH &* W
                for _ in lo0..<hi0 {
                    for k in 0..<lo { out[k] = 0 }
                    for k in hi..<outW { out[k] = 0 }
                    if g.strideW == 1 {
                        copyRow(input + lo, into: out + lo, count: hi &- lo)
                    } else {
                        let s = g.strideW
                        for ow in lo..<hi { out[ow] = input[ow &* s] }
                    }
                    out += outW
                    input += inputStep
                }
                row += rowStride
            }
        }
    }
}

/// The adjoint of `im2col`: adds every column-matrix entry (output rows `rows`) back onto the
/// input element it was copied from. `destination` must be initialised (usually zero).
func col2im(_ columns: UnsafePointer<Float>, rowStride: Int, channels: Int, geometry g: WindowGeometry,
            rows: Range<Int>? = nil, into destination: UnsafeMutablePointer<Float>) {
    let outW = g.outputW, H = g.inputH, W = g.inputW
    let rows = rows ?? 0..<g.outputH
    let r0 = rows.lowerBound, r1 = rows.upperBound
    var row = columns
    for c in 0..<channels {
        let plane = destination + c &* H &* W
        for i in 0..<g.kernelH {
            let offsetH = i &* g.dilationH &- g.padH
            let (validLo, validHi) = WindowGeometry.validRange(offset: offsetH, stride: g.strideH, size: H, count: g.outputH)
            let lo0 = Swift.min(Swift.max(validLo, r0), r1), hi0 = Swift.max(Swift.min(validHi, r1), lo0)
            for j in 0..<g.kernelW {
                let offsetW = j &* g.dilationW &- g.padW
                let (lo, hi) = WindowGeometry.validRange(offset: offsetW, stride: g.strideW, size: W, count: outW)
                if hi > lo {
                    var col = row + (lo0 &- r0) &* outW
                    var input = plane + ((lo0 &* g.strideH &+ offsetH) &* W &+ offsetW)
                    let inputStep = g.strideH &* W
                    for _ in lo0..<hi0 {
                        if g.strideW == 1 {
                            addInPlace(input + lo, col + lo, count: hi &- lo)
                        } else {
                            let s = g.strideW
                            for ow in lo..<hi { input[ow &* s] += col[ow] }
                        }
                        col += outW
                        input += inputStep
                    }
                }
                row += rowStride
            }
        }
    }
}

/// Copies `count` floats; short rows (LeNet's 10-wide maps) inline instead of calling memmove.
@inline(__always)
func copyRow(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
    if count >= 64 {
        target.update(from: source, count: count)
        return
    }
    var k = 0
    let s = UnsafeRawPointer(source), t = UnsafeMutableRawPointer(target)
    while k + 8 <= count {
        t.storeBytes(of: s.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self), toByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    while k < count { target[k] = source[k]; k &+= 1 }
}

/// `target[i] += source[i]`, sixteen lanes at a time.
@inline(__always)
func addInPlace(_ target: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, count: Int) {
    var k = 0
    let t = UnsafeMutableRawPointer(target), s = UnsafeRawPointer(source)
    while k + 16 <= count {
        let sum = t.loadUnaligned(fromByteOffset: k &* 4, as: SIMD16<Float>.self)
            + s.loadUnaligned(fromByteOffset: k &* 4, as: SIMD16<Float>.self)
        t.storeBytes(of: sum, toByteOffset: k &* 4, as: SIMD16<Float>.self)
        k &+= 16
    }
    if k + 8 <= count {
        let sum = t.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
            + s.loadUnaligned(fromByteOffset: k &* 4, as: SIMD8<Float>.self)
        t.storeBytes(of: sum, toByteOffset: k &* 4, as: SIMD8<Float>.self)
        k &+= 8
    }
    while k < count { target[k] += source[k]; k &+= 1 }
}

/// Grow-only scratch memory reused between calls, so that the column matrices of convolution
/// are not allocated on every forward and backward pass. Each parallel worker has its own
/// buffers (`forWorker`), used by one kernel between its start and its end under
/// `KernelThreads.lock`.
final class ScratchBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init() {
        capacity = 16
        pointer = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64).bindMemory(to: Float.self, capacity: 16)
    }

    /// At least `count` floats, contents unspecified. Throws above the allocation limit.
    func reserve(_ count: Int, operation: String) throws -> UnsafeMutablePointer<Float> {
        if count <= capacity { return pointer }
        let bytes = count.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        if bytes.overflow || bytes.partialValue > EngineLimits.maxAllocationBytes {
            throw TensorError("\(operation): needs a work buffer of \(count) elements, above the allocation limit of \(formatBytes(EngineLimits.maxAllocationBytes))",
                              suggestion: "use a smaller batch or raise EngineLimits.maxAllocationBytes")
        }
        UnsafeMutableRawPointer(pointer).deallocate()
        pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes.partialValue, alignment: 64).bindMemory(to: Float.self, capacity: count)
        capacity = count
        return pointer
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// The scratch sets of the parallel workers, one per worker.
    nonisolated(unsafe) static let workers: [WorkerScratch] = (0..<KernelThreads.count).map { _ in WorkerScratch() }
}

/// The buffers of one parallel worker.
final class WorkerScratch {
    /// Column matrix of im2col (or the padded image of the direct kernels).
    let columns = ScratchBuffer()
    /// Gradient of the column matrix (input gradient of convolution).
    let columnGradients = ScratchBuffer()
    /// Outputs or output gradients of several images gathered side by side for one GEMM.
    let gathered = ScratchBuffer()
    /// The output gradient zero-padded to whole tiles (Winograd's weight gradient).
    let paddedGradient = ScratchBuffer()
    /// The worker's private weight and bias gradient sums.
    let parameterGradients = ScratchBuffer()
}

/// Row-major C = alpha·op(A)·op(B) + beta·C through OpenBLAS, with `op` a transpose where asked:
/// the convolution and linear kernels pass transposed operands this way instead of copying them.
@inline(__always)
func rowMajorSgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                   alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int,
                   _ b: UnsafePointer<Float>, ldb: Int,
                   beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        // BLAS leaves C untouched only when beta is 1; make the empty product explicit.
        if beta == 0 { for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) } }
        else if beta != 1 { for row in 0..<m { for col in 0..<n { c[row * ldc + col] *= beta } } }
        return
    }
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}
