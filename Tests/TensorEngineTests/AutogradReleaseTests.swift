import XCTest
@testable import TensorEngine

/// `backward()` frees the graph's saved values like PyTorch; `retainGraph` keeps them.
final class AutogradReleaseTests: XCTestCase {
    func testSecondBackwardThroughFreedGraphThrows() throws {
        let x = try Tensor(shape: [3], scalars: [1, 2, 3]).requiringGrad()
        let y = try (x * x).sum(toShape: [])
        try y.backward()
        XCTAssertEqual(x.grad?.scalars, [2, 4, 6])
        XCTAssertThrowsError(try y.backward()) { error in
            XCTAssertTrue("\(error)".contains("second time"), "\(error)")
        }
        // The failed pass changed nothing.
        XCTAssertEqual(x.grad?.scalars, [2, 4, 6])
        XCTAssertEqual(y.gradFunctionName, "SumToShapeBackward")
    }

    func testRetainGraphAllowsAnotherPassAndAccumulates() throws {
        let x = try Tensor(shape: [2], scalars: [1, -2]).requiringGrad()
        let y = try (x * 3).relu().sum(toShape: [])
        try y.backward(retainGraph: true)
        try y.backward()
        XCTAssertEqual(x.grad?.scalars, [6, 0])
        XCTAssertThrowsError(try y.backward())
    }

    func testRetainGradSurvivesRelease() throws {
        let x = try Tensor(shape: [2], scalars: [1, 2]).requiringGrad()
        let h = try x * 2
        h.retainGrad()
        let y = try (h * h).sum(toShape: [])
        try y.backward()
        XCTAssertEqual(h.grad?.scalars, [4, 8])
        XCTAssertEqual(x.grad?.scalars, [8, 16])
    }

    func testSharedSubgraphGradientsAccumulate() throws {
        // x feeds two branches; the accumulation must not write into a gradient another
        // node still holds (copy-on-write of the pending sum).
        let x = try Tensor(shape: [2], scalars: [1, 2]).requiringGrad()
        let a = try x + x
        let y = try (a + x * x).sum(toShape: [])
        try y.backward()
        XCTAssertEqual(x.grad?.scalars, [4, 6])
    }

    func testFreshForwardAfterBackwardWorks() throws {
        let w = try Tensor(shape: [2], scalars: [0.5, -1]).requiringGrad()
        for _ in 0..<3 {
            let loss = try (w * w).sum(toShape: [])
            try loss.backward()
        }
        XCTAssertEqual(w.grad?.scalars, [3, -6])
    }

    func testReleasedGraphDropsSavedTensors() throws {
        let x = try Tensor(shape: [1024], scalars: [Float](repeating: 1, count: 1024)).requiringGrad()
        var y = try (x * 2).relu()
        weak var saved: TensorStorage?
        saved = y.storage
        let loss = try y.sum(toShape: [])
        y = try Tensor(uninitializedShape: [1])
        XCTAssertNotNil(saved, "the graph keeps the relu output for its backward")
        try loss.backward()
        XCTAssertNil(saved, "backward frees the values the graph saved")
    }
}

/// Freed tensor buffers are reused by size class, within the cache limit.
final class BufferCacheTests: XCTestCase {
    func testSameSizeIsReusedAndLimitIsHonoured() throws {
        let saved = EngineLimits.bufferCacheBytes
        defer { EngineLimits.bufferCacheBytes = saved }
        TensorStorage.releaseCachedBuffers()
        XCTAssertEqual(TensorStorage.cachedBufferBytes, 0)
        var first: UnsafeMutablePointer<Float>?
        do {
            let t = try Tensor(uninitializedShape: [64, 100])
            first = t.storage.pointer
        }
        XCTAssertGreaterThanOrEqual(TensorStorage.cachedBufferBytes, 64 * 100 * 4)
        let again = try Tensor(uninitializedShape: [100, 64])
        XCTAssertEqual(again.storage.pointer, first, "a buffer of the same class is handed back")
        XCTAssertEqual(Int(bitPattern: again.storage.pointer) % 64, 0)

        EngineLimits.bufferCacheBytes = 0
        XCTAssertEqual(TensorStorage.cachedBufferBytes, 0)
        do { _ = try Tensor.zeros([4096]) }
        XCTAssertEqual(TensorStorage.cachedBufferBytes, 0, "nothing is kept with the cache off")
    }

    func testSizeClassesCoverRequests() {
        for bytes in [4096, 4097, 5000, 6144, 8191, 8192, 100_000, 1 << 20, (1 << 20) + 1, 16 << 20] {
            let (index, classBytes) = BufferCache.sizeClass(bytes)
            XCTAssertGreaterThanOrEqual(classBytes, bytes)
            XCTAssertLessThanOrEqual(Double(classBytes), Double(bytes) * 1.125 + 1)
            XCTAssertEqual(BufferCache.bytes(ofClass: index), classBytes)
        }
    }

    func testLargeAndSmallTensorsStillWork() throws {
        let big = try Tensor.full([5 << 20], 2)   // 20 MiB: mapped directly
        XCTAssertEqual(big.scalars.last, 2)
        XCTAssertEqual(try Tensor.full([3], 1).scalars, [1, 1, 1])
    }

    func testConcurrentAllocationIsSafe() throws {
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            for _ in 0..<200 {
                guard let t = try? Tensor.full([1024 + i * 100], Float(i)) else { return XCTFail("allocation failed") }
                XCTAssertEqual(t.scalars.first, Float(i))
            }
        }
    }
}
