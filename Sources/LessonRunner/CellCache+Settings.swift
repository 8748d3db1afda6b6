import Foundation

extension CellCache {
    /// The cache the command line asks for: `directory` (`--cache-dir`), else
    /// `LESSONBOOK_CACHE`, else `.lessonbook/cache` in the current folder; its cap from `cap`
    /// (`--cache-size`), else `LESSONBOOK_CACHE_SIZE`, else `cache-size:` in the front matter of
    /// the course's `README.md` (in `courseFolder`), else 1 GiB.
    public static func configured(directory: String? = nil, cap: String? = nil, courseFolder: String = "lessons",
                                  environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CellCache {
        let folder = directory ?? environment["LESSONBOOK_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? ".lessonbook/cache"
        var bytes = defaultCap
        if let cap {
            guard let parsed = parseSize(cap) else { throw UsageError("--cache-size takes a size like 500MB or 2GiB, got '\(cap)'") }
            bytes = parsed
        } else if let text = environment["LESSONBOOK_CACHE_SIZE"], !text.isEmpty {
            guard let parsed = parseSize(text) else { throw UsageError("LESSONBOOK_CACHE_SIZE takes a size like 500MB or 2GiB, got '\(text)'") }
            bytes = parsed
        } else if let text = courseSetting("cache-size", folder: courseFolder), let parsed = parseSize(text) {
            bytes = parsed
        }
        return CellCache(root: URL(fileURLWithPath: folder, isDirectory: true), capBytes: bytes)
    }

    /// `1073741824`, `500MB`, `500M`, `2GiB`, `1.5 GB` (K, M, G are powers of 1024 either way).
    public static func parseSize(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "k", "kb", "kib": scale = 1024
        case "m", "mb", "mib": scale = 1024 * 1024
        case "g", "gb", "gib": scale = 1024 * 1024 * 1024
        default: return nil
        }
        let bytes = value * scale
        return bytes < 9e18 ? Int64(bytes) : nil
    }

    /// A `key: value` from the front matter of `folder/README.md`, if there is one.
    static func courseSetting(_ key: String, folder: String) -> String? {
        guard let data = FileManager.default.contents(atPath: folder + "/README.md") else { return nil }
        let lines = String(decoding: data.prefix(64 * 1024), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else { return nil }
        for line in lines.dropFirst() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text == "---" || text == "..." { break }
            guard let colon = text.firstIndex(of: ":"), text[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            return text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// `12.3 MB`.
    public static func formatBytes(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

extension Lessonbook {
    /// `lessonbook cache info|prune|clear`.
    public static func cache(_ action: String, cache: CellCache, console: Console = Console()) throws -> Int32 {
        switch action {
        case "info":
            let info = cache.info()
            console.out("\(cache.root.path): \(CellCache.formatBytes(info.bytes)) of \(CellCache.formatBytes(info.capBytes))\n")
            for slug in info.bytesPerLesson.keys.sorted() {
                let records = info.recordsPerLesson[slug] ?? 0
                console.out("  \(slug): \(records) cell record\(records == 1 ? "" : "s"), \(CellCache.formatBytes(info.bytesPerLesson[slug] ?? 0))\n")
            }
            console.out("  shared tensors: \(info.blobs), \(CellCache.formatBytes(info.blobBytes))\n")
        case "prune":
            let freed = cache.prune()
            console.out("freed \(CellCache.formatBytes(freed)); \(CellCache.formatBytes(cache.info().bytes)) left\n")
        case "clear":
            try cache.clear()
            console.out("cleared \(cache.root.path)\n")
        default:
            throw UsageError("cache takes info, prune or clear, got '\(action)'")
        }
        return 0
    }
}
