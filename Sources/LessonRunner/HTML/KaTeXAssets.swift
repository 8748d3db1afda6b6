import Foundation

/// KaTeX from Debian's `libjs-katex`, copied next to the pages so they typeset math offline.
public enum KaTeXAssets {
    /// Where `libjs-katex` installs KaTeX.
    public static let systemFolder = URL(fileURLWithPath: "/usr/share/javascript/katex", isDirectory: true)
    /// Where pages expect it, relative to the output folder (and so to each page).
    public static let relativeFolder = "assets/katex"
    /// The files a page needs; `fonts/` is copied whole.
    static let files = ["katex.min.js", "katex.min.css"]

    /// True when KaTeX is installed in `source`.
    public static func isAvailable(source: URL = systemFolder) -> Bool {
        let fm = FileManager.default
        return files.allSatisfy { fm.fileExists(atPath: source.appendingPathComponent($0).path) }
    }

    /// Copies `katex.min.js`, `katex.min.css` and `fonts/` into `outputFolder/assets/katex`.
    /// Returns false (and copies nothing) when KaTeX is not installed: pages then show the
    /// TeX as written. Files already there with the same size are left alone, and each copy
    /// goes through a temporary file, so an interrupted install never leaves half a file.
    @discardableResult
    public static func install(into outputFolder: URL, from source: URL = systemFolder) throws -> Bool {
        guard isAvailable(source: source) else { return false }
        let fm = FileManager.default
        let destination = outputFolder.appendingPathComponent(relativeFolder, isDirectory: true)
        try fm.createDirectory(at: destination, withIntermediateDirectories: true)
        for name in files {
            try copy(source.appendingPathComponent(name), to: destination.appendingPathComponent(name))
        }
        let fonts = source.appendingPathComponent("fonts", isDirectory: true)
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: fonts.path, isDirectory: &isDirectory), isDirectory.boolValue {
            let fontDestination = destination.appendingPathComponent("fonts", isDirectory: true)
            try fm.createDirectory(at: fontDestination, withIntermediateDirectories: true)
            for name in try fm.contentsOfDirectory(atPath: fonts.path).sorted() where !name.hasPrefix(".") {
                try copy(fonts.appendingPathComponent(name), to: fontDestination.appendingPathComponent(name))
            }
        }
        return true
    }

    private static func copy(_ from: URL, to: URL) throws {
        let fm = FileManager.default
        // Debian ships some of these as symlinks; resolve them so the output is standalone.
        let resolved = from.resolvingSymlinksInPath()
        let size = (try? fm.attributesOfItem(atPath: resolved.path)[.size] as? Int) ?? nil
        if let size, let existing = try? fm.attributesOfItem(atPath: to.path)[.size] as? Int, existing == size {
            return
        }
        let data = try Data(contentsOf: resolved)
        try data.write(to: to, options: .atomic)
    }

    /// KaTeX's stylesheet, with each font as a `data:` URI (its woff2 only, which every current
    /// browser reads), and its script, for a page that stands alone (`render --self-contained`).
    /// Nil when KaTeX is not installed.
    public static func inlined(from source: URL = systemFolder) -> (css: String, script: String)? {
        guard isAvailable(source: source),
              var css = try? String(contentsOf: source.appendingPathComponent("katex.min.css").resolvingSymlinksInPath(), encoding: .utf8),
              let script = try? String(contentsOf: source.appendingPathComponent("katex.min.js").resolvingSymlinksInPath(), encoding: .utf8)
        else { return nil }
        let fonts = source.appendingPathComponent("fonts", isDirectory: true)
        // `src:url(fonts/NAME.woff2) format('woff2'),url(…woff)…,url(…ttf)…` up to `;` or `}`.
        let pattern = try! NSRegularExpression(pattern: "src:url\\(fonts/([A-Za-z0-9_-]+)\\.woff2\\)[^;}]*")
        for match in pattern.matches(in: css, range: NSRange(css.startIndex..., in: css)).reversed() {
            guard let whole = Range(match.range, in: css), let name = Range(match.range(at: 1), in: css),
                  let data = try? Data(contentsOf: fonts.appendingPathComponent(css[name] + ".woff2").resolvingSymlinksInPath())
            else { continue }
            css.replaceSubrange(whole, with: "src:url(data:font/woff2;base64,\(data.base64EncodedString())) format('woff2')")
        }
        // Inside <script> and <style>, only a closing tag could end the element early.
        return (css.replacingOccurrences(of: "</style", with: "<\\/style"),
                script.replacingOccurrences(of: "</script", with: "<\\/script"))
    }
}
