import Foundation

/// Splits a dataset into batches, like `torch.utils.data.DataLoader`.
///
/// Each pass (`for (x, y) in loader`) is one epoch. With `shuffle`, every epoch starts by
/// drawing a fresh Fisher–Yates permutation from `RandomGenerator.global`, so `manualSeed`
/// fixes the order of every epoch. Batches are `(inputs [B, ...], labels [B])` with labels
/// `.int64`; the last batch is smaller unless `dropLast`.
public struct DataLoader: Sequence, CustomStringConvertible {
    public typealias Element = (inputs: Tensor, labels: Tensor)

    public let dataset: any Dataset
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool

    public init(_ dataset: any Dataset, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false) throws {
        guard batchSize > 0 else {
            throw TensorError("DataLoader: batchSize should be a positive integer, got \(batchSize)")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
    }

    /// The number of batches in one epoch, like `len(loader)`.
    public var count: Int {
        // Not `(count + batchSize - 1) / batchSize`: that overflows for a batch size near Int.max.
        dropLast ? dataset.count / batchSize : dataset.count / batchSize + (dataset.count % batchSize == 0 ? 0 : 1)
    }

    public var underestimatedCount: Int { count }

    /// Starts an epoch (drawing the permutation now when shuffling).
    public func makeIterator() -> Iterator {
        var order = Array(0..<dataset.count)
        if shuffle {
            // Fisher–Yates from the back, one draw per position.
            var i = order.count - 1
            while i > 0 {
                order.swapAt(i, RandomGenerator.global.nextInt(below: i + 1))
                i -= 1
            }
        }
        return Iterator(dataset: dataset, order: order, batchSize: batchSize, batches: count)
    }

    /// One epoch's batches.
    ///
    /// `for … in` cannot throw: a batch that fails to load (a custom dataset's error, or an
    /// allocation over the limit) ends the loop and is kept in `error`. Call `nextBatch()`
    /// to get the error thrown instead.
    public struct Iterator: IteratorProtocol {
        let dataset: any Dataset
        /// The sample indices of this epoch, in visiting order.
        public let order: [Int]
        let batchSize: Int
        let batches: Int
        /// The index of the next batch.
        public private(set) var batchIndex = 0
        /// The error that ended the epoch early, if any.
        public private(set) var error: Error?

        public mutating func nextBatch() throws -> Element? {
            guard batchIndex < batches else { return nil }
            let start = batchIndex * batchSize
            let end = start + Swift.min(batchSize, order.count - start)
            batchIndex += 1
            return try dataset.batch(at: Array(order[start..<end]))
        }

        public mutating func next() -> Element? {
            guard error == nil else { return nil }
            do {
                return try nextBatch()
            } catch {
                self.error = error
                return nil
            }
        }
    }

    public var description: String {
        "DataLoader(batchSize: \(batchSize), shuffle: \(shuffle), dropLast: \(dropLast), \(count) batches of \(dataset.count) samples)"
    }
}
