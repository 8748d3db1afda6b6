import Foundation

/// The buffer behind one or more `Tensor` values: a 64-byte aligned block of Float32.
///
/// Tensors share a storage until one of them is written to (copy-on-write, see
/// `Tensor.makeUnique`). A meta storage has no elements at all: it backs tensors that
/// only carry a shape, for shape inference.
///
/// Buffers of 4 KiB and more come from `BufferCache`: a training step frees and requests
/// the same sizes every time, and reusing them spares the page faults of fresh memory and
/// keeps the resident size flat from the first step on (see `BufferCache`).
public final class TensorStorage {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>
    public let isMeta: Bool
    /// The size class the buffer was taken from, `BufferCache.mapped` for a mapping of its own,
    /// or `BufferCache.small` for a malloc block.
    private let cacheClass: Int

    /// Allocates `count` elements, uninitialised. Refuses sizes above `EngineLimits.maxAllocationBytes`.
    init(uninitializedCount count: Int, shape: [Int]) throws {
        let bytes = count.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        if bytes.overflow || bytes.partialValue > EngineLimits.maxAllocationBytes {
            throw TensorError("allocation: a tensor of shape \(shapeDescription(shape)) needs "
                + "\(bytes.overflow ? "more than Int.max bytes" : formatBytes(bytes.partialValue)), "
                + "above the limit of \(formatBytes(EngineLimits.maxAllocationBytes))",
                suggestion: "use a smaller batch or raise EngineLimits.maxAllocationBytes")
        }
        self.count = count
        self.isMeta = false
        try MemoryBudget.reserve(bytes.partialValue, shape: shape)
        guard let (raw, sizeClass) = BufferCache.allocate(byteCount: max(bytes.partialValue, 64)) else {
            MemoryBudget.release(bytes.partialValue)
            throw TensorError("allocation: out of memory for a tensor of shape \(shapeDescription(shape)) (\(formatBytes(bytes.partialValue)))",
                              suggestion: "use a smaller batch")
        }
        self.cacheClass = sizeClass
        self.pointer = raw.bindMemory(to: Float.self, capacity: max(count, 16))
    }

    /// A storage with no elements, for shape-only tensors.
    init(metaFor shape: [Int]) {
        self.count = 0
        self.isMeta = true
        self.cacheClass = BufferCache.small
        // 64 bytes: failing here means the process is out of memory anyway.
        let raw = BufferCache.allocateSmall(byteCount: 64)!
        self.pointer = raw.bindMemory(to: Float.self, capacity: 16)
    }

    func copy() throws -> TensorStorage {
        if isMeta { return TensorStorage(metaFor: []) }
        let new = try TensorStorage(uninitializedCount: count, shape: [count])
        new.pointer.update(from: pointer, count: count)
        return new
    }

    deinit {
        BufferCache.release(UnsafeMutableRawPointer(pointer), sizeClass: cacheClass, count: count)
        if !isMeta { MemoryBudget.release(count * MemoryLayout<Float>.stride) }
    }

    /// Returns every cached free buffer to the system (see `EngineLimits.bufferCacheBytes`).
    public static func releaseCachedBuffers() { BufferCache.trim(to: 0) }

    /// Bytes of freed tensor buffers currently held for reuse.
    public static var cachedBufferBytes: Int { BufferCache.cachedBytes }
}

/// Process-wide limits that keep a lesson from taking the machine down.
public enum EngineLimits {
    /// The largest single tensor allocation, in bytes (default 4 GiB).
    nonisolated(unsafe) public static var maxAllocationBytes: Int = 4 << 30

    /// The most bytes all live tensors together may hold (default half the physical memory):
    /// an allocation beyond it is the engine's allocation error in the cell, not a crash of
    /// the process when the system runs out.
    public static var memoryBudgetBytes: Int {
        get { MemoryBudget.lock.withLock { MemoryBudget.limit } }
        set { MemoryBudget.lock.withLock { MemoryBudget.limit = Swift.max(newValue, 0) } }
    }

    /// The bytes live tensors hold now.
    public static var liveTensorBytes: Int { MemoryBudget.lock.withLock { MemoryBudget.live } }

    /// The most memory, in bytes, that freed tensor buffers may keep for reuse (default 256 MiB;
    /// 0 turns the reuse off). Lowering it releases the excess at once.
    public static var bufferCacheBytes: Int {
        get { BufferCache.lock.withLock { BufferCache.limit } }
        set {
            BufferCache.lock.withLock { BufferCache.limit = Swift.max(newValue, 0) }
            BufferCache.trim(to: Swift.max(newValue, 0))
        }
    }
}

/// The bytes of live tensor storages, counted against `EngineLimits.memoryBudgetBytes`.
enum MemoryBudget {
    nonisolated(unsafe) static var limit = Int(clamping: ProcessInfo.processInfo.physicalMemory / 2)
    nonisolated(unsafe) static var live = 0
    static let lock = NSLock()

    static func reserve(_ bytes: Int, shape: [Int]) throws {
        lock.lock()
        let total = live.addingReportingOverflow(bytes)
        if total.overflow || total.partialValue > limit {
            let (held, budget) = (live, limit)
            lock.unlock()
            throw TensorError("allocation: a tensor of shape \(shapeDescription(shape)) (\(formatBytes(bytes))) would bring the memory of "
                + "live tensors to more than the budget of \(formatBytes(budget)) (\(formatBytes(held)) in use)",
                suggestion: "keep fewer tensors alive (a list that grows every step?), or raise EngineLimits.memoryBudgetBytes")
        }
        live = total.partialValue
        lock.unlock()
    }

    static func release(_ bytes: Int) {
        lock.lock()
        live -= bytes
        lock.unlock()
    }
}

/// Free tensor buffers kept by size class, so that the same sizes, freed and requested again
/// on every training step, are handed back without a system call or fresh page faults.
///
/// Without it, glibc's malloc serves these mid-sized blocks (0.1–2 MiB) from its heaps once
/// its adaptive mmap threshold has risen, and the heaps' free space fragments and is not
/// returned: the resident size of the seed CNN's training grew by 40–110 MiB over its first
/// 100 steps. Sizes are rounded up to eighths of a power of two (at most 12.5% slack), so
/// a buffer serves any request of its class. Buffers above `maximumBytes` (a whole data set, a
/// huge activation) are not kept: they are mapped and unmapped directly, so that they always
/// go back to the system and never raise malloc's threshold. The cache holds at most `limit` bytes; to cache
/// a buffer beyond that, buffers of the largest other classes are given back to the system
/// first. All access is under one lock: storages are freed on whichever thread drops the
/// last reference.
enum BufferCache {
    /// Requests below this go straight to malloc, which is fast and compact for them.
    static let minimumBytes = 4096
    /// Requests above this get a mapping of their own and are never cached.
    static let maximumBytes = 16 << 20
    static let small = -1
    static let mapped = -2
    nonisolated(unsafe) static var limit = 256 << 20
    nonisolated(unsafe) static var cachedBytes = 0
    /// Free buffers by class index, most recently freed last.
    nonisolated(unsafe) static var free = [[UnsafeMutableRawPointer]](repeating: [], count: 64 * 8)
    static let lock = NSLock()

    /// The class of a request of `bytes` (≥ `minimumBytes`) and the bytes a buffer of it holds.
    @inline(__always)
    static func sizeClass(_ bytes: Int) -> (index: Int, bytes: Int) {
        var exponent = Int.bitWidth - 1 - bytes.leadingZeroBitCount
        let shift = exponent - 3
        var eighths = (bytes + (1 << shift) - 1) >> shift
        if eighths == 16 { exponent += 1; eighths = 8 }
        return (exponent * 8 + eighths - 8, eighths << (exponent - 3))
    }

    /// A buffer of at least `byteCount` bytes and how to give it back, or nil when the system
    /// has no memory left for a large one.
    /// A 64-byte aligned block from malloc, or nil when there is no memory (Swift's
    /// `allocate` would end the process instead).
    static func allocateSmall(byteCount: Int) -> UnsafeMutableRawPointer? {
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, byteCount) == 0 else { return nil }
        return raw
    }

    static func allocate(byteCount: Int) -> (UnsafeMutableRawPointer, Int)? {
        guard byteCount >= minimumBytes else {
            return allocateSmall(byteCount: byteCount).map { ($0, small) }
        }
        if byteCount > maximumBytes {
            // Page-aligned, so also 64-byte aligned.
            guard let raw = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                  raw != MAP_FAILED else { return nil }
            return (raw, mapped)
        }
        let (index, classBytes) = sizeClass(byteCount)
        lock.lock()
        if let buffer = free[index].popLast() {
            cachedBytes -= classBytes
            lock.unlock()
            return (buffer, index)
        }
        lock.unlock()
        return allocateSmall(byteCount: classBytes).map { ($0, index) }
    }

    static func release(_ buffer: UnsafeMutableRawPointer, sizeClass index: Int, count: Int) {
        if index == mapped {
            munmap(buffer, Swift.max(count * MemoryLayout<Float>.stride, 64))
            return
        }
        guard index >= 0 else { Foundation.free(buffer); return }
        let classBytes = bytes(ofClass: index)
        lock.lock()
        if classBytes > limit {
            lock.unlock()
            Foundation.free(buffer)
            return
        }
        var evicted: [UnsafeMutableRawPointer] = []
        while cachedBytes + classBytes > limit, let victim = evictLargest(keeping: index) { evicted.append(victim) }
        if cachedBytes + classBytes > limit {
            lock.unlock()
            Foundation.free(buffer)
        } else {
            free[index].append(buffer)
            cachedBytes += classBytes
            lock.unlock()
        }
        for victim in evicted { Foundation.free(victim) }
    }

    /// Frees cached buffers, oldest first, until at most `bytes` remain cached.
    static func trim(to bytes: Int) {
        var evicted: [UnsafeMutableRawPointer] = []
        lock.withLock {
            while cachedBytes > bytes, let victim = evictLargest() { evicted.append(victim) }
        }
        for victim in evicted { Foundation.free(victim) }
    }

    static func bytes(ofClass index: Int) -> Int {
        let exponent = index / 8, eighths = index % 8 + 8
        return eighths << (exponent - 3)
    }

    /// Removes a cached buffer of the largest class that has one, other than `keeping`
    /// (caller holds the lock): the fewest frees give back the most memory.
    private static func evictLargest(keeping: Int = -1) -> UnsafeMutableRawPointer? {
        var index = free.count - 1
        while index >= 0 {
            if index != keeping, let victim = free[index].popLast() {
                cachedBytes -= bytes(ofClass: index)
                return victim
            }
            index -= 1
        }
        return nil
    }
}

/// `512 bytes`, `1.5 KiB`, `12.0 MiB`: a byte count as messages and `lessonbook cache info` show it.
public func formatBytes<Count: BinaryInteger>(_ count: Count) -> String {
    let n = Int(clamping: count)
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(n), unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(n) bytes" : String(format: "%.1f %@", value, units[unit])
}
