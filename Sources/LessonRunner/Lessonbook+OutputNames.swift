import Foundation

extension Lessonbook {
    /// The pages the site itself writes at the top of the output folder; a lesson with one of
    /// these names would lose its page to them.
    static let sitePageSlugs: Set<String> = ["index", "report"]

    /// Fails with a usage error, before anything runs, when rendering `lessons` into `output`
    /// could write two lessons into the same files or write over an input:
    ///
    /// - two lessons whose rendered names are equal (`a/intro.md` and `b/intro.md`, `x y.md`
    ///   and `x-y.md`, `é.md` and `è.md`), compared ignoring case so that a course renders the
    ///   same on a case-insensitive disk — the error names both and asks to rename one, as
    ///   silently numbering them would move pages whenever a lesson is added;
    /// - with `site` (`render`), a lesson named like a page of the site (`index.md`, `report.md`);
    /// - an output folder where a rendered file (`NAME.md`, `NAME.html`, `index.html`,
    ///   `report.html`) would be a lesson's own file: `render lessons -o lessons`. An output
    ///   folder that holds the lessons elsewhere (`-o .` for `lessons/`) is fine, since no
    ///   rendered name can then land on a lesson.
    public static func checkOutputNames(lessons: [String], output: String, site: Bool = false) throws {
        var bySlug: [String: String] = [:]
        for path in lessons {
            let slug = ArtifactNames(lessonPath: path).slug
            if let other = bySlug[slug.lowercased()] {
                throw UsageError("\(other) and \(path) would both render as \(slug).html: rename one of them "
                                 + "(rendered names keep only A-Z, a-z, 0-9, '.', '_' and '-' of a lesson's file name, and ignore case)")
            }
            bySlug[slug.lowercased()] = path
            if site, sitePageSlugs.contains(slug.lowercased()) {
                throw UsageError("\(path) would render as \(slug).html, which is the site's own page: rename the lesson")
            }
        }
        let folder = resolved(URL(fileURLWithPath: output, isDirectory: true))
        var inputs: [String: String] = [:]
        for path in lessons { inputs[resolved(URL(fileURLWithPath: path)).path] = path }
        let written = lessons.flatMap { path -> [String] in
            let names = ArtifactNames(lessonPath: path)
            return [names.markdownFile, names.htmlFile]
        } + (site ? ["index.html", "report.html"] : [])
        for name in written {
            let target = folder.appendingPathComponent(name).path
            if let lesson = inputs[target] {
                throw UsageError("-o \(output): rendering would write \(name) over the lesson \(lesson); "
                                 + "choose an output folder that does not hold the lessons")
            }
        }
    }

    /// `url` standardized with its symbolic links resolved (the folder's own links too, when
    /// the last component does not exist yet).
    static func resolved(_ url: URL) -> URL {
        let standard = url.standardizedFileURL
        if FileManager.default.fileExists(atPath: standard.path) { return standard.resolvingSymlinksInPath() }
        let parent = standard.deletingLastPathComponent()
        guard parent.path != standard.path else { return standard }
        return resolved(parent).appendingPathComponent(standard.lastPathComponent)
    }
}
