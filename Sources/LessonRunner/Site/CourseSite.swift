import Foundation

/// A course as a site: its folder, its lessons' pages and the navigation between them, and
/// the rules for what prose may link to. Built once by `render` for all its lessons, or by
/// `run`/`watch` from the lesson's own folder, so every page gets the same sidebar.
public struct CourseSite {
    public var navigation: SiteNavigation
    /// The folder holding the lessons (and the README that is the home page).
    public var folder: URL
    /// The course's `README.md`, when it has one.
    public var readme: URL?
    /// The page of each lesson file, by the file's standardized path.
    var pages: [String: String]

    /// The site of the lessons at `lessonPaths`, in that order.
    public init(lessonPaths: [String]) {
        let urls = lessonPaths.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath() }
        folder = Self.commonFolder(urls.map { $0.deletingLastPathComponent() })
        let readmeURL = folder.appendingPathComponent("README.md")
        readme = FileManager.default.fileExists(atPath: readmeURL.path) ? readmeURL : nil
        var lessons: [SiteNavigation.Lesson] = []
        pages = [:]
        for (path, url) in zip(lessonPaths, urls) {
            let names = ArtifactNames(lessonPath: path)
            let document = try? LessonDocument.load(path: path)
            lessons.append(SiteNavigation.Lesson(title: document?.title ?? names.slug, file: names.htmlFile,
                                                 description: document?.frontMatter.description))
            pages[url.path] = names.htmlFile
        }
        if let readme { pages[readme.path] = "index.html" }
        let title = readme.flatMap { try? LessonDocument.load(path: $0.path) }?.heading ?? "Lessons"
        navigation = SiteNavigation(courseTitle: title, lessons: lessons)
    }

    /// The site of the lesson at `path` and the other lessons of its folder (for `run` and `watch`).
    public static func around(lessonPath path: String) -> CourseSite {
        let folder = (path as NSString).deletingLastPathComponent
        let siblings = (try? Lessonbook.lessonPaths([folder.isEmpty ? "." : folder])) ?? []
        let standard = URL(fileURLWithPath: path).standardizedFileURL.path
        let paths = siblings.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == standard }) ? siblings : [path]
        return CourseSite(lessonPaths: paths)
    }

    private static func commonFolder(_ folders: [URL]) -> URL {
        guard var common = folders.first?.pathComponents else { return URL(fileURLWithPath: ".").standardizedFileURL }
        for folder in folders.dropFirst() {
            let parts = folder.pathComponents
            var n = 0
            while n < min(common.count, parts.count), common[n] == parts[n] { n += 1 }
            common = Array(common.prefix(n))
        }
        return URL(fileURLWithPath: NSString.path(withComponents: common.isEmpty ? ["/"] : common), isDirectory: true)
    }

    // MARK: - Links and images in prose

    /// The rewriter for the prose of the file at `sourcePath`: a link to a lesson (`x.md#frag`)
    /// goes to its page (`x.html#frag`), to the README to the home page; any other local file
    /// (an image, a data file) is copied into `output` at its place in the course folder.
    /// Web links and fragments stay. A local path outside the course folder, or to a file that
    /// does not exist, is an error naming the file and line.
    func urlRewriter(for sourcePath: String, output: URL) -> (Cmark.Reference) throws -> String {
        let base = URL(fileURLWithPath: sourcePath).standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent()
        return { reference in
            let url = reference.url
            if url.isEmpty || url.hasPrefix("#") || Self.hasScheme(url) || url.hasPrefix("//") { return url }
            func fail(_ message: String) -> LessonInputError {
                LessonInputError(file: sourcePath, line: reference.line, message: message)
            }
            var path = url
            var fragment = ""
            if let hash = path.firstIndex(of: "#") { fragment = String(path[hash...]); path = String(path[..<hash]) }
            if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
            let what = reference.isImage ? "image" : "link"
            guard !path.hasPrefix("/"), let decoded = path.removingPercentEncoding else {
                throw fail("\(what) '\(url)' is an absolute path; use a path relative to the lesson, inside the course folder")
            }
            let target = base.appendingPathComponent(decoded).standardizedFileURL.resolvingSymlinksInPath()
            let root = folder.standardizedFileURL.resolvingSymlinksInPath().path
            guard target.path.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
                throw fail("\(what) '\(url)' points outside the course folder \(root)")
            }
            if let page = pages[target.path] { return page + fragment }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw fail("\(what) '\(url)' names no file of the course (looked for \(target.path))")
            }
            let relative = String(target.path.dropFirst(root.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard let destination = ArtifactNames.url(of: relative, in: output),
                  !relative.hasSuffix(".html"), !pages.values.contains(relative) else {
                throw fail("\(what) '\(url)' cannot be copied into the output folder (hidden, or it would replace a page)")
            }
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(Data(contentsOf: target), to: destination)
            return relative.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed).map { $0 + fragment } ?? relative + fragment
        }
    }

    private static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && !scheme.contains("/") && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
    }
}
