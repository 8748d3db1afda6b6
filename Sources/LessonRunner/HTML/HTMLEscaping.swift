import Foundation

/// Escaping for text placed in HTML (and SVG, which shares the rules for these five characters).
public enum HTMLEscaping {
    /// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe both as element text and
    /// inside a quoted attribute value. Everything a cell prints goes through here.
    public static func escape(_ text: String) -> String {
        // Fast path: most outputs contain nothing to escape.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes text for an attribute value; identical to `escape`, named for the reader.
    public static func attribute(_ text: String) -> String { escape(text) }
}
