import Foundation

/// Sizes as people write them in options, the environment and front matter: `2 GiB`,
/// `512MiB`, `1.5 GB`, `500M`, `4096`. The one parser behind `--cache-size`,
/// `LESSONBOOK_CACHE_SIZE`, `cache-size:` and `memory:`.
enum ByteSize {
    /// The bytes `text` names: a number, optionally followed (after spaces) by B; KB, MB, GB,
    /// TB (by 1000); KiB, MiB, GiB, TiB or the one-letter K, M, G, T (by 1024); in any case.
    /// Nil for anything else, a negative size, or one past `Int.max`.
    static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let value = Double(number), value >= 0, let scale = units[unit] else { return nil }
        let bytes = (value * scale).rounded()
        guard bytes.isFinite, bytes < Double(Int.max) else { return nil }
        return Int(bytes)
    }

    private static let units: [String: Double] = [
        "": 1, "b": 1,
        "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
        "kib": 0x1p10, "mib": 0x1p20, "gib": 0x1p30, "tib": 0x1p40,
        "k": 0x1p10, "m": 0x1p20, "g": 0x1p30, "t": 0x1p40,
    ]
}
