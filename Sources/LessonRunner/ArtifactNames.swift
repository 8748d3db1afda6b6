import Foundation
import LessonScript

/// The names of every file `render` writes for one lesson, relative to the output folder:
///
///     <slug>.md                 the rendered Markdown lesson
///     <slug>.html               the page
///     <slug>/<cellID>-<k>.png   the k-th image of a cell (1-based), with a .pgm twin
///     <slug>/<cellID>-<k>.svg   the k-th plot of a cell (1-based)
///     <slug>/<cellID>-diagram-<k>.svg   the k-th tensor diagram of a cell
///
/// Lesson slugs and cell ids come from user input, so both are sanitised to
/// `[A-Za-z0-9._-]` with no leading dot: a derived name has no separator, is never `.` or
/// `..`, and so can never leave the output folder.
public struct ArtifactNames: Equatable, Sendable {
    /// The sanitised lesson slug: `01-cross-correlation`.
    public let slug: String

    /// Names for the lesson with this slug (sanitised here, so any string is safe).
    public init(slug: String) {
        self.slug = ArtifactNames.sanitize(slug, fallback: "lesson")
    }

    /// The slug of a lesson file: its file name without the extension, sanitised.
    public init(lessonPath: String) {
        let name = (lessonPath as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        self.init(slug: stem)
    }

    /// `<slug>.md`
    public var markdownFile: String { slug + ".md" }
    /// `<slug>.html`
    public var htmlFile: String { slug + ".html" }
    /// `<slug>`: the folder holding the lesson's images and plots.
    public var assetFolder: String { slug }

    /// `<slug>/<cellID>-<k>.png`; `index` is 1-based within the cell.
    public func imagePNG(cellID: String, index: Int) -> String { artifact(cellID, index, "png") }
    /// `<slug>/<cellID>-<k>.pgm`, the plain format of record beside the PNG.
    public func imagePGM(cellID: String, index: Int) -> String { artifact(cellID, index, "pgm") }
    /// `<slug>/<cellID>-<k>.svg`; `index` is 1-based among the cell's plots.
    public func plotSVG(cellID: String, index: Int) -> String { artifact(cellID, index, "svg") }

    /// `<slug>/<cellID>-diagram-<k>.svg`; `index` is 1-based among the cell's diagrams.
    public func diagramSVG(cellID: String, index: Int) -> String { artifact(cellID, index, "svg", kind: "diagram-") }

    /// The file URL of a relative name from this type inside `outputFolder`. Returns nil
    /// (instead of a path outside the folder) for anything that is not a plain relative path
    /// below it, so callers can rely on it even for hand-built names.
    public static func url(of relativeName: String, in outputFolder: URL) -> URL? {
        guard !relativeName.isEmpty, !relativeName.hasPrefix("/") else { return nil }
        let parts = relativeName.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts where part.isEmpty || part == "." || part == ".." || part.hasPrefix(".") {
            return nil
        }
        var url = outputFolder.standardizedFileURL
        for part in parts { url.appendPathComponent(String(part)) }
        let base = outputFolder.standardizedFileURL.path
        let resolved = url.standardizedFileURL.path
        guard resolved.hasPrefix(base.hasSuffix("/") ? base : base + "/") else { return nil }
        return url
    }

    /// `url(of:in:)` checked once more against the disk: nil when a symbolic link on the way
    /// leads out of `outputFolder` — in the folders above the file, and with `resolvingFile`
    /// in the file itself too (a reader must not follow it; a writer replaces the link, not
    /// what it points to). The one containment rule of the pages `render` writes and the
    /// files `serve` reads.
    public static func containedURL(of relativeName: String, in outputFolder: URL, resolvingFile: Bool) -> URL? {
        guard let url = url(of: relativeName, in: outputFolder) else { return nil }
        let base = outputFolder.standardizedFileURL.resolvingSymlinksInPath().path
        let resolved = resolvingFile ? url.resolvingSymlinksInPath()
            : url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent)
        let folder = resolved.deletingLastPathComponent().path
        guard folder == base || folder.hasPrefix(base + "/") else { return nil }
        return resolved
    }

    /// Replaces every character outside `[A-Za-z0-9._-]` with `-`, drops leading dots (no
    /// `.`, `..` or hidden files), caps the length at 100 and uses `fallback` when nothing is left.
    public static func sanitize(_ name: String, fallback: String = "item") -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": out.unicodeScalars.append(scalar)
            default: out.append("-")
            }
        }
        while out.hasPrefix(".") { out.removeFirst() }
        if out.count > 100 { out = String(out.prefix(100)) }
        return out.isEmpty ? fallback : out
    }

    private func artifact(_ cellID: String, _ index: Int, _ ext: String, kind: String = "") -> String {
        "\(slug)/\(ArtifactNames.sanitize(cellID, fallback: "cell"))-\(kind)\(max(index, 1)).\(ext)"
    }
}

extension ArtifactNames {
    /// A file a cell's rich output is written to.
    public struct Artifact: Equatable, Sendable {
        /// Which of the cell's outputs it shows (an index into `CellRun.outputs`).
        public var outputIndex: Int
        /// Its name relative to the output folder: `slug/cell-k.png` or `slug/cell-k.svg`.
        public var file: String
        /// For an image, the plain PGM twin of the PNG.
        public var pgm: String?
    }

    /// The files of a cell's images and plots: the one place they are numbered (images and
    /// plots and diagrams each from 1, in order). Renderers and the cache record use these names.
    public func artifacts(of outputs: [CellOutput], cellID: String) -> [Artifact] {
        var result: [Artifact] = []
        var images = 0, plots = 0, diagrams = 0
        for (index, output) in outputs.enumerated() {
            guard case .rich(let rich) = output else { continue }
            switch rich {
            case .image:
                images += 1
                result.append(Artifact(outputIndex: index, file: imagePNG(cellID: cellID, index: images),
                                       pgm: imagePGM(cellID: cellID, index: images)))
            case .plot:
                plots += 1
                result.append(Artifact(outputIndex: index, file: plotSVG(cellID: cellID, index: plots), pgm: nil))
            case .diagram:
                diagrams += 1
                result.append(Artifact(outputIndex: index, file: diagramSVG(cellID: cellID, index: diagrams), pgm: nil))
            case .value, .table:
                break
            }
        }
        return result
    }
}
