import ArgumentParser
import Foundation
import TensorEngine

/// `lessonbook-bench`: the figures of the performance issue, measured on this machine.
///
/// Every subcommand prints a table by default and JSON with `--json`; progress goes to
/// stderr so that the JSON on stdout stays clean.
@main
struct LessonbookBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessonbook-bench",
        abstract: "Measures TensorEngine and LessonScript: convolution, model, training and interpreter speed.",
        subcommands: [ConvCommand.self, ModelsCommand.self, TrainCommand.self, InterpCommand.self, AllCommand.self, RerunCommand.self])
}

/// Options every subcommand shares.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

struct ConvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv",
        abstract: "Convolution and pooling forward and forward+backward, and sgemm 1024³.")

    @OptionGroup var output: OutputOptions
    @Option(help: "Timed runs per case (the median is reported).")
    var runs = 20
    @Option(help: "Untimed warm-up runs per case.")
    var warmup = 3

    func run() throws {
        let report = try ConvBenchmark(runs: runs, warmup: warmup).run()
        if output.json {
            try printJSON(BenchReport(conv: report.conv, pool: report.pool, sgemm: report.sgemm))
        } else {
            print(report.table)
        }
    }
}

struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Forward time (inference, no grad) of classic CNNs at batch 1 and 64.")

    @OptionGroup var output: OutputOptions
    @Option(help: "Timed runs per model and batch size (the median is reported).")
    var runs = 5
    @Option(parsing: .upToNextOption, help: "Batch sizes to measure.")
    var batches: [Int] = [1, 64]

    func run() throws {
        let rows = try ModelsBenchmark(runs: runs, batchSizes: batches).run()
        if output.json {
            try printJSON(BenchReport(models: rows))
        } else {
            print(ModelsBenchmark.table(rows))
        }
    }
}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Trains the seed CNN on Fashion-MNIST (SGD lr 0.01, momentum 0.5, batch 64).")

    @OptionGroup var output: OutputOptions
    @Option(help: "Number of epochs.")
    var epochs = 2
    @Option(help: "Seed for manualSeed (initialisation and shuffling).")
    var seed = 0
    @Option(help: "Folder holding Fashion-MNIST's IDX files.")
    var root = FashionMNIST.defaultRoot
    @Flag(help: "Report resident memory after training steps 1 and 100.")
    var memory = false
    @Option(help: "Stop each epoch after this many steps (for profiling).")
    var steps: Int?
    @Option(name: .customLong("buffer-cache-mib"), help: "Memory freed tensor buffers may keep for reuse, in MiB (0 turns the reuse off; default: the engine's).")
    var bufferCacheMiB: Int?

    func run() throws {
        if let bufferCacheMiB { EngineLimits.bufferCacheBytes = max(bufferCacheMiB, 0) << 20 }
        let result = try TrainBenchmark(epochs: epochs, seed: seed, root: root, reportsMemory: memory,
                                        maxSteps: steps).run()
        if output.json {
            try printJSON(BenchReport(train: result))
        } else {
            print(TrainBenchmark.table(result))
        }
    }
}

struct InterpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interp",
        abstract: "LessonScript: a 10M-iteration loop and a hand-written 100×100 corr2d, each as one cell.")

    @OptionGroup var output: OutputOptions

    func run() throws {
        let rows = try InterpBenchmark().run()
        if output.json {
            try printJSON(BenchReport(interp: rows))
        } else {
            print(InterpBenchmark.table(rows))
        }
    }
}

struct AllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "conv, models and one epoch of train.")

    @OptionGroup var output: OutputOptions
    @Option(help: "Timed runs per convolution case.")
    var runs = 20

    func run() throws {
        let conv = try ConvBenchmark(runs: runs, warmup: 3).run()
        let models = try ModelsBenchmark(runs: 5, batchSizes: [1, 64]).run()
        let train = try TrainBenchmark(epochs: 1, seed: 0, root: FashionMNIST.defaultRoot).run()
        if output.json {
            try printJSON(BenchReport(conv: conv.conv, pool: conv.pool, sgemm: conv.sgemm, models: models, train: train))
        } else {
            print(conv.table)
            print()
            print(ModelsBenchmark.table(models))
            print()
            print(TrainBenchmark.table(train))
        }
    }
}
