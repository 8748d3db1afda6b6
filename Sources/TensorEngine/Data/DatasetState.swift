/// Data sets in snapshots. A data set is a value, written inline as how to get it back:
/// a split exactly as read from its files is named (split and folder) and read again, or
/// taken from the caller's cache; any other data (normalised images, a `TensorDataset`) is
/// stored, its large tensors once per content (see `SnapshotArchiveWriter.blobs`).
extension SnapshotArchiveWriter {
    public func dataset(_ d: any Dataset, into w: inout ByteWriter, isPristine: (any Dataset) -> Bool) throws {
        switch d {
        case let f as FashionMNIST:
            w.uint8(isPristine(f) ? 0 : 1)
            w.string(f.split.rawValue); w.string(f.root)
            if !isPristine(f) { try tensorDataset(f.data, &w) }
        case let m as MNIST:
            w.uint8(isPristine(m) ? 2 : 3)
            w.string(m.split.rawValue); w.string(m.root)
            if !isPristine(m) { try tensorDataset(m.data, &w) }
        case let t as TensorDataset:
            w.uint8(4)
            try tensorDataset(t, &w)
        case let s as DatasetSubset:
            w.uint8(5)
            try dataset(s.base, into: &w, isPristine: isPristine)
            w.int(s.indices.count)
            for i in s.indices { w.int(i) }
        case let n as NormalizedDataset:
            w.uint8(6)
            try dataset(n.base, into: &w, isPristine: isPristine)
            w.floats(n.mean); w.floats(n.std)
        default:
            throw SnapshotUnsupported("a data set of type \(type(of: d))")
        }
    }

    private func tensorDataset(_ t: TensorDataset, _ w: inout ByteWriter) throws {
        try tensorData(t.inputs, into: &w, immutable: true)
        try tensorData(t.labels, into: &w, immutable: true)
        w.int(t.classes.count)
        for c in t.classes { w.string(c) }
        w.string(t.name)
    }
}

extension SnapshotArchiveReader {
    /// A data set written by `SnapshotArchiveWriter.dataset`; `load` reads a named split
    /// (`"FashionMNIST"` or `"MNIST"`, its split and folder).
    public func dataset(_ r: inout ByteReader, load: (String, DatasetSplit, String) throws -> any Dataset) throws -> any Dataset {
        let tag = try r.uint8()
        switch tag {
        case 0, 1, 2, 3:
            guard let split = DatasetSplit(rawValue: try r.string()) else { throw SnapshotCorrupt("bad split") }
            let root = try r.string()
            let name = tag < 2 ? "FashionMNIST" : "MNIST"
            if tag == 0 || tag == 2 { return try load(name, split, root) }
            let data = try tensorDataset(&r)
            return tag == 1 ? FashionMNIST(split: split, root: root, data: data) : MNIST(split: split, root: root, data: data)
        case 4:
            return try tensorDataset(&r)
        case 5:
            let base = try dataset(&r, load: load)
            let indices = try (0..<(try r.count())).map { _ in try r.int() }
            return try base.subset(indices: indices)
        case 6:
            let base = try dataset(&r, load: load)
            return try base.normalized(mean: try r.floats(), std: try r.floats())
        default:
            throw SnapshotCorrupt("bad data set tag \(tag)")
        }
    }

    private func tensorDataset(_ r: inout ByteReader) throws -> TensorDataset {
        let inputs = try tensorData(&r), labels = try tensorData(&r)
        let classes = try (0..<(try r.count())).map { _ in try r.string() }
        return try TensorDataset(inputs: inputs, labels: labels, classes: classes, name: try r.string())
    }
}
