import Foundation

/// The buffer behind one or more `Tensor` values: a 64-byte aligned block of Float32.
///
/// Tensors share a storage until one of them is written to (copy-on-write, see
/// `Tensor.makeUnique`). A meta storage has no elements at all: it backs tensors that
/// only carry a shape, for shape inference.
public final class TensorStorage {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>
    public let isMeta: Bool

    /// Allocates `count` elements, uninitialised. Refuses sizes above `EngineLimits.maxAllocationBytes`.
    init(uninitializedCount count: Int, shape: [Int]) throws {
        let bytes = count.multipliedReportingOverflow(by: MemoryLayout<Float>.stride)
        if bytes.overflow || bytes.partialValue > EngineLimits.maxAllocationBytes {
            throw TensorError("allocation: a tensor of shape \(shapeDescription(shape)) needs "
                + "\(bytes.overflow ? "more than Int.max" : formatBytes(bytes.partialValue)) bytes, "
                + "above the limit of \(formatBytes(EngineLimits.maxAllocationBytes))",
                suggestion: "use a smaller batch or raise EngineLimits.maxAllocationBytes")
        }
        self.count = count
        self.isMeta = false
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.partialValue, 64), alignment: 64)
        self.pointer = raw.bindMemory(to: Float.self, capacity: max(count, 16))
    }

    /// A storage with no elements, for shape-only tensors.
    init(metaFor shape: [Int]) {
        self.count = 0
        self.isMeta = true
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64)
        self.pointer = raw.bindMemory(to: Float.self, capacity: 16)
    }

    func copy() throws -> TensorStorage {
        if isMeta { return TensorStorage(metaFor: []) }
        let new = try TensorStorage(uninitializedCount: count, shape: [count])
        new.pointer.update(from: pointer, count: count)
        return new
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}

/// Process-wide limits that keep a lesson from taking the machine down.
public enum EngineLimits {
    /// The largest single tensor allocation, in bytes (default 4 GiB).
    nonisolated(unsafe) public static var maxAllocationBytes: Int = 4 << 30
}

func formatBytes(_ n: Int) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(n), unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    return unit == 0 ? "\(n) bytes" : String(format: "%.1f %@", value, units[unit])
}
