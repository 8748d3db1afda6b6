import TensorEngine

// The classic networks of the course, built from the engine's layers as the d2l book
// defines them for one-channel (Fashion-MNIST) input.

enum BenchModels {
    /// A model to measure, and the spatial size of its square input.
    struct Entry {
        var name: String
        var imageSize: Int
        var build: () throws -> any Module
    }

    static let all: [Entry] = [
        Entry(name: "LeNet", imageSize: 28, build: lenet),
        Entry(name: "AlexNet", imageSize: 224, build: alexnet),
        Entry(name: "VGG-11", imageSize: 224, build: vgg11),
        Entry(name: "NiN", imageSize: 224, build: nin),
        Entry(name: "GoogLeNet", imageSize: 96, build: googlenet),
        Entry(name: "ResNet-18", imageSize: 96, build: resnet18),
    ]

    /// The seed CNN of the training benchmark (PyTorch's MNIST example, without dropout).
    static func seedCNN() throws -> Sequential {
        Sequential(
            try Conv2d(1, 10, kernelSize: 5), MaxPool2d(kernelSize: 2), ReLU(),
            try Conv2d(10, 20, kernelSize: 5), MaxPool2d(kernelSize: 2), ReLU(),
            Flatten(), try Linear(320, 10))
    }

    static func lenet() throws -> any Module {
        Sequential(
            try Conv2d(1, 6, kernelSize: 5, padding: 2), Sigmoid(), AvgPool2d(kernelSize: 2, stride: 2),
            try Conv2d(6, 16, kernelSize: 5), Sigmoid(), AvgPool2d(kernelSize: 2, stride: 2),
            Flatten(),
            try Linear(16 * 5 * 5, 120), Sigmoid(),
            try Linear(120, 84), Sigmoid(),
            try Linear(84, 10))
    }

    static func alexnet() throws -> any Module {
        Sequential(
            try Conv2d(1, 96, kernelSize: 11, stride: 4, padding: 1), ReLU(), MaxPool2d(kernelSize: 3, stride: 2),
            try Conv2d(96, 256, kernelSize: 5, padding: 2), ReLU(), MaxPool2d(kernelSize: 3, stride: 2),
            try Conv2d(256, 384, kernelSize: 3, padding: 1), ReLU(),
            try Conv2d(384, 384, kernelSize: 3, padding: 1), ReLU(),
            try Conv2d(384, 256, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(kernelSize: 3, stride: 2),
            Flatten(),
            try Linear(6400, 4096), ReLU(), try Dropout(p: 0.5),
            try Linear(4096, 4096), ReLU(), try Dropout(p: 0.5),
            try Linear(4096, 10))
    }

    static func vgg11() throws -> any Module {
        let architecture = [(1, 64), (1, 128), (2, 256), (2, 512), (2, 512)]
        var layers: [any Module] = []
        var inChannels = 1
        for (convolutions, outChannels) in architecture {
            var block: [any Module] = []
            for _ in 0..<convolutions {
                block += [try Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1), ReLU()]
                inChannels = outChannels
            }
            block.append(MaxPool2d(kernelSize: 2, stride: 2))
            layers.append(Sequential(block))
        }
        layers += [
            Flatten(),
            try Linear(512 * 7 * 7, 4096), ReLU(), try Dropout(p: 0.5),
            try Linear(4096, 4096), ReLU(), try Dropout(p: 0.5),
            try Linear(4096, 10),
        ]
        return Sequential(layers)
    }

    static func nin() throws -> any Module {
        func block(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int, padding: Int) throws -> Sequential {
            Sequential(
                try Conv2d(inChannels, outChannels, kernelSize: Size2(kernel), stride: Size2(stride), padding: Size2(padding)), ReLU(),
                try Conv2d(outChannels, outChannels, kernelSize: 1), ReLU(),
                try Conv2d(outChannels, outChannels, kernelSize: 1), ReLU())
        }
        return Sequential(
            try block(1, 96, kernel: 11, stride: 4, padding: 0), MaxPool2d(kernelSize: 3, stride: 2),
            try block(96, 256, kernel: 5, stride: 1, padding: 2), MaxPool2d(kernelSize: 3, stride: 2),
            try block(256, 384, kernel: 3, stride: 1, padding: 1), MaxPool2d(kernelSize: 3, stride: 2),
            try Dropout(p: 0.5),
            try block(384, 10, kernel: 3, stride: 1, padding: 1),
            AdaptiveAvgPool2d(outputSize: 1), Flatten())
    }

    static func googlenet() throws -> any Module {
        let b1 = Sequential(try Conv2d(1, 64, kernelSize: 7, stride: 2, padding: 3), ReLU(),
                            MaxPool2d(kernelSize: 3, stride: 2, padding: 1))
        let b2 = Sequential(try Conv2d(64, 64, kernelSize: 1), ReLU(),
                            try Conv2d(64, 192, kernelSize: 3, padding: 1), ReLU(),
                            MaxPool2d(kernelSize: 3, stride: 2, padding: 1))
        let b3 = Sequential(try Inception(192, 64, (96, 128), (16, 32), 32),
                            try Inception(256, 128, (128, 192), (32, 96), 64),
                            MaxPool2d(kernelSize: 3, stride: 2, padding: 1))
        let b4 = Sequential(try Inception(480, 192, (96, 208), (16, 48), 64),
                            try Inception(512, 160, (112, 224), (24, 64), 64),
                            try Inception(512, 128, (128, 256), (24, 64), 64),
                            try Inception(512, 112, (144, 288), (32, 64), 64),
                            try Inception(528, 256, (160, 320), (32, 128), 128),
                            MaxPool2d(kernelSize: 3, stride: 2, padding: 1))
        let b5 = Sequential(try Inception(832, 256, (160, 320), (32, 128), 128),
                            try Inception(832, 384, (192, 384), (48, 128), 128),
                            AdaptiveAvgPool2d(outputSize: 1), Flatten())
        return Sequential(b1, b2, b3, b4, b5, try Linear(1024, 10))
    }

    static func resnet18() throws -> any Module {
        func stage(_ inChannels: Int, _ outChannels: Int, first: Bool) throws -> Sequential {
            Sequential(
                first ? try Residual(inChannels, outChannels)
                      : try Residual(inChannels, outChannels, projection: true, stride: 2),
                try Residual(outChannels, outChannels))
        }
        let b1 = Sequential(try Conv2d(1, 64, kernelSize: 7, stride: 2, padding: 3), try BatchNorm2d(64), ReLU(),
                            MaxPool2d(kernelSize: 3, stride: 2, padding: 1))
        return Sequential(b1, try stage(64, 64, first: true), try stage(64, 128, first: false),
                          try stage(128, 256, first: false), try stage(256, 512, first: false),
                          AdaptiveAvgPool2d(outputSize: 1), Flatten(), try Linear(512, 10))
    }
}

/// GoogLeNet's Inception block: four parallel paths concatenated along the channels.
final class Inception: Module {
    var isTraining = true
    let path1: Sequential, path2: Sequential, path3: Sequential, path4: Sequential

    init(_ inChannels: Int, _ c1: Int, _ c2: (Int, Int), _ c3: (Int, Int), _ c4: Int) throws {
        path1 = Sequential(try Conv2d(inChannels, c1, kernelSize: 1), ReLU())
        path2 = Sequential(try Conv2d(inChannels, c2.0, kernelSize: 1), ReLU(),
                           try Conv2d(c2.0, c2.1, kernelSize: 3, padding: 1), ReLU())
        path3 = Sequential(try Conv2d(inChannels, c3.0, kernelSize: 1), ReLU(),
                           try Conv2d(c3.0, c3.1, kernelSize: 5, padding: 2), ReLU())
        path4 = Sequential(MaxPool2d(kernelSize: 3, stride: 1, padding: 1),
                           try Conv2d(inChannels, c4, kernelSize: 1), ReLU())
    }

    func forward(_ input: Tensor) throws -> Tensor {
        try Tensor.cat([path1(input), path2(input), path3(input), path4(input)], dim: 1)
    }

    var children: [(name: String, module: any Module)] {
        [("p1", path1), ("p2", path2), ("p3", path3), ("p4", path4)]
    }
    var typeName: String { "Inception" }
}

/// ResNet's residual block: two 3×3 convolutions with batch norm, plus the input (through
/// a 1×1 convolution when the shape changes).
final class Residual: Module {
    var isTraining = true
    let conv1: Conv2d, conv2: Conv2d, conv3: Conv2d?
    let bn1: BatchNorm2d, bn2: BatchNorm2d

    init(_ inChannels: Int, _ outChannels: Int, projection: Bool = false, stride: Int = 1) throws {
        conv1 = try Conv2d(inChannels, outChannels, kernelSize: 3, stride: Size2(stride), padding: 1)
        conv2 = try Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1)
        conv3 = projection ? try Conv2d(inChannels, outChannels, kernelSize: 1, stride: Size2(stride)) : nil
        bn1 = try BatchNorm2d(outChannels)
        bn2 = try BatchNorm2d(outChannels)
    }

    func forward(_ input: Tensor) throws -> Tensor {
        let y = try bn2(conv2(bn1(conv1(input)).relu()))
        let shortcut = try conv3.map { try $0(input) } ?? input
        return try (y + shortcut).relu()
    }

    var children: [(name: String, module: any Module)] {
        var kids: [(name: String, module: any Module)] = [("conv1", conv1), ("conv2", conv2)]
        if let conv3 { kids.append(("conv3", conv3)) }
        kids += [("bn1", bn1), ("bn2", bn2)]
        return kids
    }
    var typeName: String { "Residual" }
}
