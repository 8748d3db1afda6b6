import ArgumentParser
import Foundation
import LessonRunner

/// `lessonbook-bench rerun`: how long `run --cell` of a training lesson's last cell takes
/// from a snapshot, against running the whole lesson (and against a full run that also
/// saves its snapshots, which is what `render` and `check` pay).
struct RerunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "run --cell of the last cell of a training lesson: restored from a snapshot vs a full run.")

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
    @Option(help: "Training steps in the lesson's training cell.")
    var steps = 30
    @Option(help: "Timed runs of each kind (the median is reported).")
    var runs = 3

    struct Report: Encodable {
        var fullRunSeconds: Double
        var fullRunSavingSnapshotsSeconds: Double
        var rerunLastCellSeconds: Double
        var snapshotBytes: Int
        var speedup: Double
    }

    static func lesson(steps: Int) -> String {
        """
        ---
        title: Rerun benchmark
        seed: 1
        ---
        ```swift id=model
        let net = Sequential(Conv2d(1, 6, kernelSize: 5, padding: 2), ReLU(), AvgPool2d(2, stride: 2),
                             Conv2d(6, 16, kernelSize: 5), ReLU(), AvgPool2d(2, stride: 2), Flatten(),
                             Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10))
        let opt = SGD(net.parameters, lr: 0.05, momentum: 0.9)
        let x = randn(64, 1, 28, 28)
        let y = randint(0, 10, [64])
        ```

        ```swift id=train
        var losses: [Double] = []
        for _ in 0..<\(steps) {
            opt.zeroGrad()
            let loss = crossEntropy(net(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        }
        print(losses.last!)
        ```

        ```swift id=last
        net.eval()
        print(net(x).argmax(dim: 1)[0..<8])
        ```

        """
    }

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessonbook-rerun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("rerun.md").path
        try Self.lesson(steps: steps).write(toFile: path, atomically: true, encoding: .utf8)
        let document = try LessonDocument.load(path: path)
        let last = document.cells.count

        func median(_ body: () throws -> Void) rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<max(1, runs) { times.append(try timed(body).seconds) }
            return times.sorted()[times.count / 2]
        }
        progress("full runs")
        let full = median { _ = LessonExecutor().run(document) }
        progress("full runs saving snapshots")
        let cache = folder.appendingPathComponent(".lessonbook")
        let store = CellCache(root: cache.appendingPathComponent("cache"))
        let saving = median {
            try? FileManager.default.removeItem(at: cache)
            _ = LessonExecutor(cache: store).run(document)
        }
        progress("reruns of the last cell")
        var executed: [Int] = []
        let lastKey = CellKey.keys(for: document)[last - 1]
        let rerun = median {
            store.forget(lastKey, slug: document.artifactNames.slug)
            executed = LessonExecutor(cache: store).run(document, lastCell: last, reuse: true).executedCells
        }
        guard executed == [last] else { throw ValidationError("the rerun did not start from the state before the last cell") }
        let files = FileManager.default.enumerator(at: cache, includingPropertiesForKeys: [.fileSizeKey])
        var bytes = 0
        while let url = files?.nextObject() as? URL { bytes += (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0 }
        let report = Report(fullRunSeconds: rounded(full), fullRunSavingSnapshotsSeconds: rounded(saving),
                            rerunLastCellSeconds: rounded(rerun), snapshotBytes: bytes, speedup: rounded(full / rerun, 1))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("""
            run --cell \(last) of a LeNet lesson (\(steps) SGD steps on a 64-image batch), median of \(runs):
              full run                       \(format(full, 3)) s
              full run, saving snapshots     \(format(saving, 3)) s
              rerun of the last cell         \(format(rerun, 3)) s   (\(format(full / rerun, 1))× faster)
              snapshots on disk              \(bytes) bytes
            """)
        }
    }
}
