import Foundation
import TensorEngine
import XCTest
@testable import LessonScript

/// Snapshots of the interpreter's globals: every kind of value survives a save and a
/// restore into a fresh interpreter, shared objects stay shared, and what cannot be saved
/// is refused instead of being restored wrong.
final class SnapshotEncodingTests: XCTestCase {
    private let header = "test"

    private final class Session {
        let host = RecordingHost()
        let interpreter: Interpreter
        let recorder: SnapshotRecorder
        init() {
            interpreter = Interpreter(host: host)
            recorder = SnapshotRecorder(interpreter: interpreter)
        }
        func run(_ cells: [String]) throws {
            for (i, source) in cells.enumerated() {
                defer { recorder.didRun(SnapshotCell(source: source, file: "t.md", firstLine: 1 + 100 * i)) }
                try interpreter.run(cell: source, file: "t.md", firstLine: 1 + 100 * i)
            }
        }
        var transcript: [String] { host.finish(); return host.transcript }
    }

    /// Runs `cells` in one interpreter, then `probe` both there and in a fresh interpreter
    /// restored from a snapshot taken before `probe`: the two transcripts of `probe` must match.
    private func assertRestoreMatches(_ cells: [String], probe: String, file: StaticString = #filePath, line: UInt = #line) throws {
        manualSeed(7)
        let original = Session()
        try original.run(cells)
        let (archive, blobs) = try original.recorder.snapshot(header: header)
        let before = original.transcript.count
        try original.run([probe])
        let expected = Array(original.transcript.dropFirst(before))

        // Disturb the generator: the snapshot must bring its state back.
        manualSeed(999)
        let restored = Session()
        let replayed = cells.enumerated().map { SnapshotCell(source: $1, file: "t.md", firstLine: 1 + 100 * $0) }
        try restored.recorder.restore(archive, header: header, cells: replayed, blobSource: { key in
            blobs[key].map { t in t.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) } }
        })
        XCTAssertTrue(restored.transcript.isEmpty, "restoring must not print", file: file, line: line)
        try restored.interpreter.run(cell: probe, file: "t.md", firstLine: 1 + 100 * cells.count)
        XCTAssertEqual(restored.transcript, expected, file: file, line: line)
        XCTAssertFalse(expected.isEmpty, file: file, line: line)
    }

    func testEveryKindOfValueRoundTrips() throws {
        let cells = ["""
        struct Point { var x: Double; var y: Double; func norm() -> Double { sqrt(x * x + y * y) } }
        class Counter { var n = 0; func bump() { n += 1 } }
        func square(_ v: Int) -> Int { v * v }
        let i = 42
        let d = -0.1
        let b = true
        let s = "héllo \\(i)"
        let none: Int? = nil
        let xs = [1, 2, 3]
        let nested = [[1.5], [2.5, 3.5]]
        let dict = ["b": 2, "a": 1]
        let pair = (h: 3, 4)
        let r = 0..<5
        let closed = 1...3
        let t = arange(12).reshape(3, 4)
        let ints = tensor([1, 2, 3])
        let flags = ints > 1
        let big = rand(600, 500)
        var leaf = randn(3)
        leaf.requiresGrad = true
        (leaf * leaf).sum().backward()
        let p = Point(x: 3, y: 4)
        let c = Counter()
        c.bump()
        let f = square
        let g = relu
        let make = Point
        """]
        try assertRestoreMatches(cells, probe: """
        print(i, d, b, s, none == nil, xs, nested, dict, pair, r, closed)
        print(t, ints, flags, big.sum().item(), big.shape)
        print(leaf.requiresGrad, leaf.grad!)
        print(p.norm(), c.n, f(7), g(tensor([-1.0, 2.0])), make(x: 1, y: 0).norm())
        c.bump()
        print(c.n, rand(2), randn(2))
        """)
    }

    func testModulesOptimisersAndDataSurvive() throws {
        let cells = ["""
        class Block: Module {
            var conv: Conv2d
            var scale: Tensor
            var bn: BatchNorm2d
            init(_ c: Int) {
                conv = Conv2d(1, c, kernelSize: 3, padding: 1)
                scale = ones(c, 1, 1)
                bn = BatchNorm2d(c)
            }
            func callAsFunction(_ x: Tensor) -> Tensor { bn(relu(conv(x))) * scale }
        }
        let net = Sequential(Block(2), MaxPool2d(2), Flatten(), Dropout(0.25), Linear(8, 3))
        let params = net.parameters
        let adam = Adam(net.parameters, lr: 0.01)
        let sgd = SGD(params, lr: 0.05, momentum: 0.9, nesterov: true)
        let data = TensorDataset(randn(16, 1, 4, 4), tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0]))
        let loader = DataLoader(data, batchSize: 4, shuffle: true)
        """, """
        for (x, y) in loader {
            adam.zeroGrad()
            let loss = crossEntropy(net(x), y)
            loss.backward()
            adam.step()
            sgd.step()
        }
        net.eval()
        """]
        try assertRestoreMatches(cells, probe: """
        print(net)
        print(adam, sgd.lr)
        net.train()
        for (x, y) in loader {
            adam.zeroGrad()
            let loss = crossEntropy(net(x), y)
            loss.backward()
            adam.step()
            sgd.step()
            print(loss.item())
        }
        for p in params { print(p.sum().item()) }
        print(data.count, loader.count)
        """)
    }

    /// Buffers stay buffers and frozen parameters stay frozen (issue 13).
    func testBuffersAndFrozenParametersSurvive() throws {
        let cells = ["""
        class Norm: Module {
            var scale = ones(3)
            var mean = Buffer(zeros(3))
            func callAsFunction(_ x: Tensor) -> Tensor {
                mean = 0.5 * mean + 0.5 * x.mean(dim: 0).detach()
                return (x - mean) * scale
            }
        }
        let net = Sequential(Linear(3, 3), Norm())
        net[0].weight.requiresGrad = false
        _ = net(ones(2, 3))
        """]
        try assertRestoreMatches(cells, probe: """
        print(net.parameterCount, net.namedBuffers.map { $0.name }, net[1].mean)
        print(net[0].weight.requiresGrad, net[0].bias!.requiresGrad)
        net[1].mean = zeros(3)
        print(net.parameterCount, net.buffers.count)
        """)
    }

    func testSharedObjectsStayShared() throws {
        let cells = ["""
        let a = Linear(2, 2)
        let b = a
        let seq = Sequential(a, a)
        let opt = SGD(a.parameters, lr: 0.5)
        let w = a.weight
        (a(ones(1, 2)).sum()).backward()
        """]
        try assertRestoreMatches(cells, probe: """
        print(w.grad!)
        opt.step()
        print(b.weight)
        b.weight = zeros(2, 2)
        print(a.weight, seq.parameters.count)
        (seq(ones(1, 2)).sum()).backward()
        print(w.grad!)
        """)
    }

    func testRedeclaredTypesAndFunctionsResolveToTheirOwnDeclaration() throws {
        let cells = [
            "struct S { var v: Int; func show() -> Int { v } }\nfunc f() -> Int { 1 }\nlet s1 = S(v: 1)\nlet f1 = f",
            "func f() -> Int { 2 }\nlet later = f() + f1()",
        ]
        try assertRestoreMatches(cells, probe: "print(s1.show(), f(), f1(), later)")
    }

    func testUnsupportedStateIsRefused() throws {
        for (cell, reason) in [
            ("let sq = { (x: Int) in x * x }", "closure"),
            ("var w = randn(2)\nw.requiresGrad = true\nlet y = (w * 2).sum()", "autograd graph"),
        ] {
            let session = Session()
            try session.run([cell])
            XCTAssertThrowsError(try session.recorder.snapshot(header: header), cell) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(error)")
            }
        }
    }

    func testCorruptOrForeignSnapshotsAreRejected() throws {
        let session = Session()
        try session.run(["let x = 1"])
        let (archive, _) = try session.recorder.snapshot(header: header)
        let cells = [SnapshotCell(source: "let x = 1", file: "t.md", firstLine: 1)]
        for (bytes, header, cells) in [
            (Array(archive.prefix(archive.count / 2)), header, cells),
            (archive, "another version", cells),
            (archive, header, cells + cells),
            (Array(repeating: UInt8(7), count: 40), header, cells),
        ] {
            let fresh = Session()
            XCTAssertThrowsError(try fresh.recorder.restore(bytes, header: header, cells: cells, blobSource: { _ in nil }))
        }
    }
}
