import Foundation

/// The planes and window geometry of a pooling call: the input seen as `planes` planes of
/// H×W (N·C for [N, C, H, W], C for [C, H, W]).
private struct PoolingSetup {
    var leadingShape: [Int]
    var planes: Int
    var geometry: WindowGeometry
    var outputShape: [Int] { leadingShape + [geometry.outputH, geometry.outputW] }

    init(_ shape: [Int], operation: String, kernel: Size2, stride: Size2?, padding: Size2, dilation: Size2,
         ceilMode: Bool) throws {
        guard shape.count == 3 || shape.count == 4 else {
            throw TensorError("\(operation): expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got \(shapeDescription(shape))")
        }
        let stride = stride ?? kernel
        guard kernel.h > 0, kernel.w > 0 else {
            throw TensorError("\(operation): kernel size should be greater than zero, got \(kernel.pairDescription)")
        }
        guard stride.h > 0, stride.w > 0 else {
            throw TensorError("\(operation): stride should be greater than zero, got \(stride.pairDescription)")
        }
        guard dilation.h > 0, dilation.w > 0 else {
            throw TensorError("\(operation): dilation should be greater than zero, got \(dilation.pairDescription)")
        }
        try WindowGeometry.checkMagnitudes(operation, [("kernel size", kernel.h), ("kernel size", kernel.w), ("stride", stride.h),
                                                       ("stride", stride.w), ("padding", padding.h), ("padding", padding.w),
                                                       ("dilation", dilation.h), ("dilation", dilation.w)])
        guard padding.h >= 0, padding.w >= 0, padding.h <= kernel.h / 2, padding.w <= kernel.w / 2 else {
            throw TensorError("\(operation): pad should be at most half of effective kernel size, but got pad=\(padding.pairDescription) and kernel_size=\(kernel.pairDescription)")
        }
        let H = shape[shape.count - 2], W = shape[shape.count - 1]
        let outH = WindowGeometry.outputSize(input: H, kernel: kernel.h, stride: stride.h, padding: padding.h,
                                             dilation: dilation.h, ceilMode: ceilMode)
        let outW = WindowGeometry.outputSize(input: W, kernel: kernel.w, stride: stride.w, padding: padding.w,
                                             dilation: dilation.w, ceilMode: ceilMode)
        leadingShape = Array(shape.dropLast(2))
        guard outH > 0, outW > 0 else {
            throw TensorError("\(operation): given input size \(shapeDescription(shape)), the calculated output size \(shapeDescription(leadingShape + [outH, outW])) is too small",
                              suggestion: "use a smaller kernel or stride, or add padding")
        }
        planes = leadingShape.reduce(1, *)
        geometry = WindowGeometry(kernelH: kernel.h, kernelW: kernel.w, strideH: stride.h, strideW: stride.w,
                                  padH: padding.h, padW: padding.w, dilationH: dilation.h, dilationW: dilation.w,
                                  inputH: H, inputW: W, outputH: outH, outputW: outW)
    }
}

extension Tensor {
    /// 2-D max pooling over the last two dimensions of a [N, C, H, W] or [C, H, W] tensor,
    /// like `F.max_pool2d`: `stride` defaults to the kernel, padding counts as −∞, and
    /// `ceilMode` rounds the output size up (a last window must still start inside the input
    /// or its left padding). The gradient goes to the position of each window's maximum.
    public func maxPool2d(kernel: Size2, stride: Size2? = nil, padding: Size2 = 0, dilation: Size2 = 1,
                          ceilMode: Bool = false) throws -> Tensor {
        let setup = try PoolingSetup(shape, operation: "maxPool2d", kernel: kernel, stride: stride, padding: padding,
                                     dilation: dilation, ceilMode: ceilMode)
        if isMeta { return try Tensor(metaShape: setup.outputShape) }
        let g = setup.geometry, planes = setup.planes
        let output = try Tensor(uninitializedShape: setup.outputShape)
        let input = self
        let src = storage.pointer, dst = output.storage.pointer
        if PoolingKernels.isTwoByTwo(g) {
            // Which of its four elements each 2×2 block's maximum was, for the backward pass.
            let codes = [Float](unsafeUninitializedCapacity: planes * g.outputArea) { buffer, count in
                PoolingKernels.max2x2Forward(src, dst, codes: buffer.baseAddress!, planes: planes, g)
                count = planes * g.outputArea
            }
            return output.tracked("MaxPool2DBackward", inputs: [input]) { grad in
                let dx = try Tensor(uninitializedShape: input.shape)
                codes.withUnsafeBufferPointer {
                    PoolingKernels.max2x2Backward(grad.storage.pointer, codes: $0.baseAddress!, dx.storage.pointer,
                                                  planes: planes, g)
                }
                return [dx]
            }
        }
        // Position of each maximum inside its plane, for the backward pass.
        let indices = [Int32](unsafeUninitializedCapacity: planes * g.outputArea) { buffer, count in
            PoolingKernels.maxForward(src, dst, indices: buffer.baseAddress!, planes: planes, g)
            count = planes * g.outputArea
        }
        return output.tracked("MaxPool2DBackward", inputs: [input]) { grad in
            let dx = try Tensor(uninitializedShape: input.shape)
            indices.withUnsafeBufferPointer {
                PoolingKernels.maxBackward(grad.storage.pointer, indices: $0.baseAddress!, dx.storage.pointer,
                                           planes: planes, g)
            }
            return [dx]
        }
    }

    /// 2-D average pooling over the last two dimensions, like `F.avg_pool2d`: `stride`
    /// defaults to the kernel; with `countIncludePad` (the default) zero padding counts in the
    /// divisor, and with `ceilMode` windows that run past the padding are cut short.
    public func avgPool2d(kernel: Size2, stride: Size2? = nil, padding: Size2 = 0, ceilMode: Bool = false,
                          countIncludePad: Bool = true) throws -> Tensor {
        let setup = try PoolingSetup(shape, operation: "avgPool2d", kernel: kernel, stride: stride, padding: padding,
                                     dilation: 1, ceilMode: ceilMode)
        if isMeta { return try Tensor(metaShape: setup.outputShape) }
        let g = setup.geometry, planes = setup.planes
        let output = try Tensor(uninitializedShape: setup.outputShape)
        let input = self
        let src = storage.pointer, dst = output.storage.pointer
        if PoolingKernels.isTwoByTwo(g) {
            PoolingKernels.avg2x2Forward(src, dst, planes: planes, g)
            return output.tracked("AvgPool2DBackward", inputs: [input]) { grad in
                let dx = try Tensor(uninitializedShape: input.shape)
                PoolingKernels.avg2x2Backward(grad.storage.pointer, dx.storage.pointer, planes: planes, g)
                return [dx]
            }
        }
        // Each window's clipped bounds and reciprocal divisor, shared by all planes and by backward.
        let windows = PoolingKernels.averageWindows(g, countIncludePad: countIncludePad)
        PoolingKernels.avgForward(src, dst, windows: windows, planes: planes, g)
        return output.tracked("AvgPool2DBackward", inputs: [input]) { grad in
            let dx = try Tensor(uninitializedShape: input.shape)
            PoolingKernels.avgBackward(grad.storage.pointer, dx.storage.pointer, windows: windows, planes: planes, g)
            return [dx]
        }
    }

    /// Adaptive average pooling to a fixed output size, like `F.adaptive_avg_pool2d`: output
    /// cell `i` averages input rows floor(i·H/out) ..< ceil((i+1)·H/out), and likewise for
    /// columns. `outputSize: 1` is global average pooling.
    public func adaptiveAvgPool2d(outputSize: Size2) throws -> Tensor {
        guard rank == 3 || rank == 4 else {
            throw TensorError("adaptiveAvgPool2d: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got \(shapeDescription(shape))")
        }
        guard outputSize.h > 0, outputSize.w > 0 else {
            throw TensorError("adaptiveAvgPool2d: output size must be positive, got \(outputSize.pairDescription)")
        }
        let H = shape[rank - 2], W = shape[rank - 1]
        guard H > 0, W > 0 else {
            throw TensorError("adaptiveAvgPool2d: expected a non-empty input, got \(shapeDescription(shape))")
        }
        let leading = Array(shape.dropLast(2))
        let outShape = leading + [outputSize.h, outputSize.w]
        if isMeta { return try Tensor(metaShape: outShape) }
        let outH = outputSize.h, outW = outputSize.w
        // The output is allocated (and so checked against the limits) before anything else of
        // its size; the window bounds are computed on the fly, never stored per position.
        let output = try Tensor(uninitializedShape: outShape)
        // Products below stay far from overflow: i < out ≤ 2^31 here, H·W is a real tensor's.
        @inline(__always) func window(_ i: Int, _ size: Int, _ out: Int) -> (Int, Int) {
            (i * size / out, ((i + 1) * size + out - 1) / out)
        }
        guard outH <= Int(UInt32.max), outW <= Int(UInt32.max) else {
            throw TensorError("adaptiveAvgPool2d: output size \(outputSize.pairDescription) is too large")
        }
        let planes = leading.reduce(1, *), inArea = H * W, outArea = outH * outW
        let src = storage.pointer, dst = output.storage.pointer
        for plane in 0..<planes {
            let x = src + plane * inArea, y = dst + plane * outArea
            for oh in 0..<outH {
                let (h0, h1) = window(oh, H, outH)
                for ow in 0..<outW {
                    let (w0, w1) = window(ow, W, outW)
                    var acc: Float = 0
                    for ih in h0..<h1 {
                        let row = x + ih * W
                        for iw in w0..<w1 { acc += row[iw] }
                    }
                    y[oh * outW + ow] = acc / Float((h1 - h0) * (w1 - w0))
                }
            }
        }
        let input = self
        return output.tracked("AdaptiveAvgPool2DBackward", inputs: [input]) { grad in
            let dx = try Tensor.zeros(input.shape)
            let gp = grad.storage.pointer, dp = dx.storage.pointer
            for plane in 0..<planes {
                let d = dp + plane * inArea, gr = gp + plane * outArea
                for oh in 0..<outH {
                    let (h0, h1) = window(oh, H, outH)
                    for ow in 0..<outW {
                        let (w0, w1) = window(ow, W, outW)
                        let share = gr[oh * outW + ow] / Float((h1 - h0) * (w1 - w0))
                        for ih in h0..<h1 {
                            let row = d + ih * W
                            for iw in w0..<w1 { row[iw] += share }
                        }
                    }
                }
            }
            return [dx]
        }
    }
}
