import Foundation

/// Which half of a dataset: the training set or the test set.
public enum DatasetSplit: String, Sendable {
    case train, test
}

/// Fashion-MNIST (Zalando): 70 000 grey 28 × 28 images of clothing in 10 classes, read
/// from its IDX files (by default those of the Debian package `dataset-fashion-mnist`).
///
/// Samples are `[1, 28, 28]` images scaled to [0, 1] like torchvision's `ToTensor()`, with
/// the class index as label. The whole split is held as one contiguous `[N, 1, 28, 28]`
/// tensor (`images`) and one `[N]` `.int64` tensor (`labels`).
public struct FashionMNIST: IDXImageClassification {
    /// Where the Debian package installs the files.
    public static let defaultRoot = "/usr/share/datasets/fashion-mnist"
    /// The ten class names, indexed by label, as torchvision names them.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// The folder the IDX files were read from.
    public let root: String
    public let split: DatasetSplit
    /// The images and labels; `images` and `labels` give them directly.
    public private(set) var data: TensorDataset

    /// Reads the training (`train: true`, 60 000 images) or test (10 000 images) split.
    public init(root: String = FashionMNIST.defaultRoot, train: Bool) throws {
        try self.init(train ? .train : .test, root: root)
    }

    /// Reads one split: `FashionMNIST(.train)`.
    public init(_ split: DatasetSplit, root: String = FashionMNIST.defaultRoot) throws {
        self.root = root
        self.split = split
        data = try loadIDXImageClassification(
            name: "FashionMNIST", root: root, split: split, classes: FashionMNIST.classNames,
            installHint: "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)")
    }

    /// A split with data restored from a snapshot (for example normalised images).
    init(split: DatasetSplit, root: String, data: TensorDataset) {
        self.root = root
        self.split = split
        self.data = data
    }

    public static let name = "FashionMNIST"

    public mutating func normalize(mean: [Float], std: [Float]) throws { try data.normalize(mean: mean, std: std) }
}

/// MNIST (LeCun et al.): 70 000 grey 28 × 28 handwritten digits, from its IDX files in
/// `root` (the same file names and layout as Fashion-MNIST). Same sample format as
/// `FashionMNIST`.
public struct MNIST: IDXImageClassification {
    /// The ten class names, as torchvision names them.
    public static let classNames = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
                                    "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]

    public let root: String
    public let split: DatasetSplit
    public private(set) var data: TensorDataset

    public init(root: String, train: Bool) throws {
        try self.init(train ? .train : .test, root: root)
    }

    public init(_ split: DatasetSplit, root: String) throws {
        self.root = root
        self.split = split
        data = try loadIDXImageClassification(
            name: "MNIST", root: root, split: split, classes: MNIST.classNames,
            installHint: "put MNIST's four IDX files (gzipped or not) in \(root)")
    }

    /// A split with data restored from a snapshot (for example normalised images).
    init(split: DatasetSplit, root: String, data: TensorDataset) {
        self.root = root
        self.split = split
        self.data = data
    }

    public static let name = "MNIST"

    public mutating func normalize(mean: [Float], std: [Float]) throws { try data.normalize(mean: mean, std: std) }
}

/// A data set of 28 × 28 grey images with class labels read from the four IDX files of the
/// MNIST layout (`FashionMNIST`, `MNIST`). Everything but where the files come from is shared.
public protocol IDXImageClassification: Dataset, CustomStringConvertible {
    /// The data set's name, as torchvision prints it.
    static var name: String { get }
    var root: String { get }
    var split: DatasetSplit { get }
    /// The images and labels; `images` and `labels` give them directly.
    var data: TensorDataset { get }
    /// Normalises the stored images once, per channel: `(x − mean) / std`.
    mutating func normalize(mean: [Float], std: [Float]) throws
}

extension IDXImageClassification {
    /// All images, `[N, 1, 28, 28]`.
    public var images: Tensor { data.inputs }
    /// All labels, `[N]`, `.int64`.
    public var labels: Tensor { data.labels }

    public var count: Int { data.count }
    public var classes: [String] { data.classes }
    public func sample(at index: Int) throws -> (input: Tensor, label: Int) { try data.sample(at: index) }
    public func batch(at indices: [Int]) throws -> (inputs: Tensor, labels: Tensor) { try data.batch(at: indices) }

    /// A copy with normalised images: `FashionMNIST(.train).normalized(mean: [0.2860], std: [0.3530])`.
    public func normalized(mean: [Float], std: [Float]) throws -> Self {
        var copy = self
        try copy.normalize(mean: mean, std: std)
        return copy
    }

    /// torchvision's dataset description.
    public var description: String {
        """
        Dataset \(Self.name)
            Number of datapoints: \(count)
            Root location: \(root)
            Split: \(split == .train ? "Train" : "Test")
        """
    }
}

/// Finds `file` (gzipped first, then raw) in `root` or in torchvision's `root/<name>/raw`.
private func locateIDX(_ file: String, name: String, root: String, installHint: String) throws -> String {
    let folders = [root, (root as NSString).appendingPathComponent("\(name)/raw")]
    for folder in folders {
        for candidate in [file + ".gz", file] {
            let path = (folder as NSString).appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
    }
    throw TensorError("\(name): cannot find \(file).gz (or \(file)) in \(root)", suggestion: installHint)
}

/// Reads the images and labels IDX files of one split into a `TensorDataset` of
/// `[N, 1, 28, 28]` images in [0, 1] and `[N]` labels.
private func loadIDXImageClassification(name: String, root: String, split: DatasetSplit,
                                        classes: [String], installHint: String) throws -> TensorDataset {
    let prefix = split == .train ? "train" : "t10k"
    let imagesPath = try locateIDX("\(prefix)-images-idx3-ubyte", name: name, root: root, installHint: installHint)
    let labelsPath = try locateIDX("\(prefix)-labels-idx1-ubyte", name: name, root: root, installHint: installHint)
    let imageFile = try IDXFile(contentsOf: imagesPath, rank: 3)
    let labelFile = try IDXFile(contentsOf: labelsPath, rank: 1)

    let n = imageFile.dimensions[0], height = imageFile.dimensions[1], width = imageFile.dimensions[2]
    guard height == 28, width == 28 else {
        throw TensorError("\(imageFile.name): expected 28 × 28 images, got \(height) × \(width)")
    }
    guard labelFile.dimensions[0] == n else {
        throw TensorError("\(name): \(imageFile.name) holds \(n) images but \(labelFile.name) holds \(labelFile.dimensions[0]) labels")
    }
    guard n > 0 else { throw TensorError("\(imageFile.name): the file holds no images") }

    let images = try Tensor(uninitializedShape: [n, 1, height, width])
    imageFile.bytes.withUnsafeBufferPointer { src in
        let dst = images.storage.pointer
        // Division, not multiplication by 1/255, so values match torchvision's ToTensor bit for bit.
        for i in 0..<src.count { dst[i] = Float(src[i]) / 255 }
    }
    let labels = try Tensor(uninitializedShape: [n], dtype: .int64)
    try labelFile.bytes.withUnsafeBufferPointer { src in
        let dst = labels.storage.pointer
        for i in 0..<n {
            guard Int(src[i]) < classes.count else {
                throw TensorError("\(labelFile.name): label \(src[i]) at index \(i) is outside 0..<\(classes.count)")
            }
            dst[i] = Float(src[i])
        }
    }
    return try TensorDataset(inputs: images, labels: labels, classes: classes, name: name)
}
