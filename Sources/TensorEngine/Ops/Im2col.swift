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
/// GEMM: row `(c, i, j)` holds, for every output position, the input element that kernel tap
/// `(i, j)` of channel `c` sees (zero in the padding). Rows are `rowStride` apart, so several
/// images can share one matrix side by side.
func im2col(_ source: UnsafePointer<Float>, channels: Int, geometry g: WindowGeometry,
            into columns: UnsafeMutablePointer<Float>, rowStride: Int) {
    let outH = g.outputH, outW = g.outputW, H = g.inputH, W = g.inputW
    for c in 0..<channels {
        let plane = source + c * H * W
        for i in 0..<g.kernelH {
            for j in 0..<g.kernelW {
                let row = columns + ((c * g.kernelH + i) * g.kernelW + j) * rowStride
                let offsetW = j * g.dilationW - g.padW
                let (lo, hi) = WindowGeometry.validRange(offset: offsetW, stride: g.strideW, size: W, count: outW)
                for oh in 0..<outH {
                    let ih = oh * g.strideH - g.padH + i * g.dilationH
                    let out = row + oh * outW
                    if ih < 0 || ih >= H {
                        out.update(repeating: 0, count: outW)
                        continue
                    }
                    if lo > 0 { out.update(repeating: 0, count: lo) }
                    if hi < outW { (out + hi).update(repeating: 0, count: outW - hi) }
                    let input = plane + ih * W + offsetW
                    if g.strideW == 1 {
                        (out + lo).update(from: input + lo, count: hi - lo)
                    } else {
                        let s = g.strideW
                        for ow in lo..<hi { out[ow] = input[ow * s] }
                    }
                }
            }
        }
    }
}

/// The adjoint of `im2col`: adds every column-matrix entry back onto the input element it
/// was copied from. `destination` must be initialised (usually zero).
func col2im(_ columns: UnsafePointer<Float>, rowStride: Int, channels: Int, geometry g: WindowGeometry,
            into destination: UnsafeMutablePointer<Float>) {
    let outH = g.outputH, outW = g.outputW, H = g.inputH, W = g.inputW
    for c in 0..<channels {
        let plane = destination + c * H * W
        for i in 0..<g.kernelH {
            for j in 0..<g.kernelW {
                let row = columns + ((c * g.kernelH + i) * g.kernelW + j) * rowStride
                let offsetW = j * g.dilationW - g.padW
                let (lo, hi) = WindowGeometry.validRange(offset: offsetW, stride: g.strideW, size: W, count: outW)
                if hi <= lo { continue }
                for oh in 0..<outH {
                    let ih = oh * g.strideH - g.padH + i * g.dilationH
                    if ih < 0 || ih >= H { continue }
                    let input = plane + ih * W + offsetW
                    let col = row + oh * outW
                    if g.strideW == 1 {
                        for ow in lo..<hi { input[ow] += col[ow] }
                    } else {
                        let s = g.strideW
                        for ow in lo..<hi { input[ow * s] += col[ow] }
                    }
                }
            }
        }
    }
}

/// Grow-only scratch memory reused between calls, so that the column matrices of convolution
/// are not allocated on every forward and backward pass. The engine runs one operation at a
/// time; each buffer is used by one kernel between its start and its end.
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

    /// Column matrix of im2col.
    nonisolated(unsafe) static let columns = ScratchBuffer()
    /// Gradient of the column matrix (input gradient of convolution).
    nonisolated(unsafe) static let columnGradients = ScratchBuffer()
    /// Outputs or output gradients of several images gathered side by side for one GEMM.
    nonisolated(unsafe) static let gathered = ScratchBuffer()
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
