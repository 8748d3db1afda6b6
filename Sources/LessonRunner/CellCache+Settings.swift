import Foundation
import TensorEngine

extension CellCache {
    /// The cache the command line asks for: `directory` (`--cache-dir`), else
    /// `LESSONBOOK_CACHE`, else `.lessonbook/cache` in the current folder; its cap from `cap`
    /// (`--cache-size`), else `LESSONBOOK_CACHE_SIZE`, else `cache-size:` in the front matter of
    /// the course's `README.md` (in `courseFolder`), else 1 GiB. Sizes read as `ByteSize` reads them.
    public static func configured(directory: String? = nil, cap: String? = nil, courseFolder: String = "lessons",
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CellCache {
        let folder = directory ?? environment["LESSONBOOK_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? ".lessonbook/cache"
        func size(_ text: String, from source: String) throws -> Int64 {
            guard let bytes = ByteSize.parse(text) else { throw UsageError("\(source) takes a size like 500MB or 2GiB, got '\(text)'") }
            return Int64(bytes)
        }
        var bytes = defaultCap
        if let cap {
            bytes = try size(cap, from: "--cache-size")
        } else if let text = environment["LESSONBOOK_CACHE_SIZE"], !text.isEmpty {
            bytes = try size(text, from: "LESSONBOOK_CACHE_SIZE")
        } else if let course = try courseFrontMatter(folder: courseFolder), let courseCap = course.cacheSize {
            bytes = Int64(courseCap)
        }
        return CellCache(root: URL(fileURLWithPath: folder, isDirectory: true), capBytes: bytes)
    }

    /// The front matter of `folder/README.md`, if there is one (a bad value in it is an error
    /// naming the file and line).
    static func courseFrontMatter(folder: String) throws -> FrontMatter? {
        let path = folder + "/README.md"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).linesSplitAtNewline.map { Substring($0) }
        return try FrontMatter.parse(lines: lines, file: path)?.0
    }
}

extension Lessonbook {
    /// `lessonbook cache info|prune|clear`.
    public static func cache(_ action: String, cache: CellCache, console: Console = Console()) throws -> Int32 {
        switch action {
        case "info":
            let info = cache.info()
            console.out("\(cache.root.path): \(formatBytes(info.bytes)) of \(formatBytes(info.capBytes))\n")
            for slug in info.bytesPerLesson.keys.sorted() {
                let records = info.recordsPerLesson[slug] ?? 0
                console.out("  \(slug): \(records) cell record\(records == 1 ? "" : "s"), \(formatBytes(info.bytesPerLesson[slug] ?? 0))\n")
            }
            console.out("  shared tensors: \(info.blobs), \(formatBytes(info.blobBytes))\n")
        case "prune":
            let freed = cache.prune()
            console.out("freed \(formatBytes(freed)); \(formatBytes(cache.info().bytes)) left\n")
        case "clear":
            try cache.clear()
            console.out("cleared \(cache.root.path)\n")
        default:
            throw UsageError("cache takes info, prune or clear, got '\(action)'")
        }
        return 0
    }
}
