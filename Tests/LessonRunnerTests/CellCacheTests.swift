import Foundation
import XCTest
@testable import LessonRunner

/// The cache of cell records: bounded by its cap (least recently used out first), and never
/// the cause of a wrong output or a crash, whatever happens to its files.
final class CellCacheTests: TemporaryFolderTestCase {
    private func record(_ text: String) -> CellRecord {
        CellRecord(run: CellRun(id: "1", line: 1, outputs: [.text(text)], status: .succeeded, seconds: 0.1), names: ArtifactNames(slug: "l"))
    }

    func testFillingPastTheCapEvictsTheLeastRecentlyUsedFirst() throws {
        let cache = CellCache(root: folder.appendingPathComponent("cache"), capBytes: 20_000)
        let keys = (0..<20).map { CellKey(value: String(format: "%032x", $0)) }
        let start = Date().addingTimeInterval(-1000)
        for (index, key) in keys.enumerated() {
            cache.store(record(String(repeating: "\(index % 10)", count: 2000)), key: key, slug: "l")
            try FileManager.default.setAttributes([.modificationDate: start.addingTimeInterval(Double(index))],
                                                  ofItemAtPath: cache.recordURL(key, "l").path)
        }
        // The newest file of all, but a state: states go before records.
        cache.storeSnapshot(archive: [UInt8](repeating: 7, count: 30_000), blobs: [:], key: keys[19], slug: "l")
        XCTAssertGreaterThan(cache.info().bytes, 50_000)
        XCTAssertEqual(cache.info().recordsPerLesson["l"], 20)
        XCTAssertNotNil(cache.record(keys[1], slug: "l"), "reading a record marks it used")
        cache.enforceCap()
        let info = cache.info()
        XCTAssertLessThanOrEqual(info.bytes, 20_000)
        XCTAssertNil(cache.record(keys[0], slug: "l"), "the oldest is evicted")
        XCTAssertNil(cache.record(keys[2], slug: "l"))
        XCTAssertNotNil(cache.record(keys[1], slug: "l"), "the recently read one stays")
        XCTAssertNotNil(cache.record(keys[19], slug: "l"), "the newest stays")
        XCTAssertNil(cache.snapshot(keys[19], slug: "l"), "states are evicted before records")
        XCTAssertEqual(try Lessonbook.cache("info", cache: cache, console: console), 0)
        XCTAssertTrue(stdout.contains("of 19.5 KiB") && stdout.contains("  l: \(info.recordsPerLesson["l"]!) cell records"), stdout)
        XCTAssertEqual(try Lessonbook.cache("clear", cache: cache, console: console), 0)
        XCTAssertEqual(cache.info().bytes, 0)
    }

    func testLargeStatesGoBeforeSmallOnesWhateverTheirAge() throws {
        let cache = CellCache(root: folder.appendingPathComponent("cache"), capBytes: 1_150_000)
        let old = CellKey(value: String(repeating: "a", count: 32)), new = CellKey(value: String(repeating: "b", count: 32))
        cache.storeSnapshot(archive: [UInt8](repeating: 1, count: 30_000), blobs: [:], key: old, slug: "l")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-1000)], ofItemAtPath: cache.snapshotURL(old, "l").path)
        cache.store(record(String(repeating: "r", count: 40_000)), key: old, slug: "l")
        cache.storeSnapshot(archive: [UInt8](repeating: 2, count: 1_100_000), blobs: [:], key: new, slug: "l")
        XCTAssertGreaterThan(cache.info().bytes, 1_150_000)
        cache.enforceCap()
        XCTAssertNil(cache.snapshot(new, slug: "l"), "the large state goes first, though it is the newest")
        XCTAssertNotNil(cache.snapshot(old, slug: "l"))
        XCTAssertNotNil(cache.record(old, slug: "l"))
    }

    func testTheCapComesFromTheOptionTheEnvironmentOrTheCourse() throws {
        let course = folder.appendingPathComponent("course").path
        try FileManager.default.createDirectory(atPath: course, withIntermediateDirectories: true)
        try "---\ncache-size: 300MB\n---\n# Course\n".write(toFile: course + "/README.md", atomically: false, encoding: .utf8)
        // MB counts by 1000, MiB (and M) by 1024, wherever a size is written.
        XCTAssertEqual(try CellCache.configured(courseFolder: course, environment: [:]).capBytes, 300_000_000)
        XCTAssertEqual(try CellCache.configured(cap: "300M", courseFolder: course, environment: [:]).capBytes, 300 << 20)
        XCTAssertEqual(try CellCache.configured(courseFolder: course, environment: ["LESSONBOOK_CACHE_SIZE": "2GiB"]).capBytes, 2 << 30)
        XCTAssertEqual(try CellCache.configured(cap: "1024", courseFolder: course, environment: ["LESSONBOOK_CACHE_SIZE": "2GiB"]).capBytes, 1024)
        XCTAssertEqual(try CellCache.configured(courseFolder: folder.path, environment: [:]).capBytes, CellCache.defaultCap)
        XCTAssertEqual(try CellCache.configured(environment: ["LESSONBOOK_CACHE": "/tmp/x"]).root.path, "/tmp/x")
        XCTAssertThrowsError(try CellCache.configured(cap: "lots", environment: [:]))
        // A bad value in the course's front matter is an error naming the file, not ignored.
        try "---\ncache-size: plenty\n---\n# Course\n".write(toFile: course + "/README.md", atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try CellCache.configured(courseFolder: course, environment: [:])) {
            XCTAssertTrue("\($0)".contains("README.md:2"), "\($0)")
        }
    }

    /// A lesson with a tensor large enough to be stored as a shared blob, an image and the generator.
    let lesson = """
    ---
    seed: 3
    ---
    # Damage

    ```swift id=data
    let big = randn(512, 512)
    print(big.shape)
    ```

    ```swift id=stats
    print(String(format: "%.4f", big.mean().item()))
    show(big[0..<3, 0..<4], title: "corner")
    ```

    ```swift id=last
    print(String(format: "%.3f", (big * 2).sum().item()), rand(2))
    ```

    """

    func testDamagedCacheFilesNeverChangeAnOutput() throws {
        let path = folder.appendingPathComponent("damage.md").path
        try lesson.write(toFile: path, atomically: false, encoding: .utf8)
        var update = Lessonbook.CheckOptions()
        update.update = true
        XCTAssertEqual(try Lessonbook.check(paths: [path], options: update, console: console, executor: { LessonExecutor() }), 0)
        let reference = folder.appendingPathComponent("reference").path
        XCTAssertEqual(try Lessonbook.render(paths: [path], output: reference, console: console, executor: { LessonExecutor() }), 0)
        let expectedPage = try String(contentsOfFile: reference + "/damage.md", encoding: .utf8)
        let expectedLast = OutputText.text(of: LessonExecutor().run(try LessonDocument.load(path: path)).runs[2].outputs)

        let cache = CellCache(root: folder.appendingPathComponent("cache"))
        let executor = { LessonExecutor(cache: cache) }
        var cached = Lessonbook.CheckOptions()
        cached.cached = true
        XCTAssertEqual(try Lessonbook.check(paths: [path], console: console, executor: executor), 0)
        var random = SplitMix(seed: 42)
        for round in 0..<12 {
            let files = (FileManager.default.enumerator(atPath: cache.root.path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".record") || $0.hasSuffix(".snapshot") || $0.hasSuffix(".f32") }.sorted()
            XCTAssertFalse(files.isEmpty)
            for file in files where random.next() % 2 == 0 {
                let url = cache.root.appendingPathComponent(file)
                var bytes = try Data(contentsOf: url)
                switch random.next() % 5 {
                case 0: bytes = bytes.prefix(Int(random.next() % UInt64(bytes.count)))
                case 1: try FileManager.default.removeItem(at: url); continue
                default:
                    // A flipped bit in a digit, where it changes a number rather than the syntax.
                    let digits = bytes.indices.filter { (48...57).contains(bytes[$0]) }
                    let index = digits.isEmpty ? bytes.count / 2 : digits[Int(random.next() % UInt64(digits.count))]
                    bytes[index] ^= digits.isEmpty ? UInt8(1 << (random.next() % 8)) : 1
                }
                try bytes.write(to: url)
            }
            let output = folder.appendingPathComponent("output").path
            switch round % 3 {
            case 0:
                // As after an edit of the last cell: it must run on the restored state.
                cache.forget(CellKey.keys(for: try LessonDocument.load(path: path))[2], slug: "damage")
                stdout = ""
                XCTAssertEqual(try Lessonbook.run(path: path, cell: "last", output: output, console: console, executor: executor), 0)
                XCTAssertEqual(stdout, expectedLast + "\n", "round \(round)")
            case 1:
                XCTAssertEqual(try Lessonbook.render(paths: [path], output: output, console: console, executor: executor), 0)
                XCTAssertEqual(try String(contentsOfFile: output + "/damage.md", encoding: .utf8), expectedPage, "round \(round)")
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output + "/damage/stats-1.pgm")),
                               try Data(contentsOf: URL(fileURLWithPath: reference + "/damage/stats-1.pgm")), "round \(round)")
            default:
                XCTAssertEqual(try Lessonbook.check(paths: [path], options: cached, console: console, executor: executor), 0, "round \(round)")
            }
        }
    }
}

/// A small seeded generator for the test's choices.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
