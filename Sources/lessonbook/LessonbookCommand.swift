import ArgumentParser
import Foundation
import LessonRunner

/// `lessonbook`: render, check and run executable Markdown lessons.
@main
struct LessonbookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessonbook",
        abstract: "Render, check and run executable Markdown lessons about convolutional networks.",
        discussion: """
        A lesson is a CommonMark file whose ```swift cells are run top to bottom (sharing their \
        globals) and whose ```output blocks hold what each cell printed and showed.

        Examples:
          lessonbook render
              Render every lessons/*.md into output/ (HTML, Markdown, images).
          lessonbook check
              Check every lesson as doctests; exit status 1 on any difference.
          lessonbook check lessons/02-padding-and-stride.md --update
              Record fresh ```output blocks in the lesson.
          lessonbook run lessons/01-cross-correlation.md --cell edges
              Rerun one cell after an edit and print its output.
          lessonbook run scratch.swift
              Run a script as a one-cell lesson.
          lessonbook watch lessons/04-pooling.md
              Rerun and re-render the lesson on every save.
          lessonbook serve
              Serve the course with live reload and cells you edit and rerun in the page.
          lessonbook cache info
              Show the size of the cell record cache (.lessonbook/cache).

        Every command keeps a record of each cell's run in the cache, keyed by the cell's \
        source, every earlier cell, the seed, the requires: files and the lessonbook build, and \
        executes only the cells whose record is missing or stale (check executes everything \
        unless --cached).
        """,
        version: LessonRunner.LessonbookVersion.current,
        subcommands: [Render.self, Check.self, Run.self, Watch.self, Serve.self, Cache.self]
    )

    /// Parses and runs, with the exit status of a usage error being 2 (ArgumentParser's own
    /// default is 64), as the commands document.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Runs a command body, mapping usage errors to exit status 2.
func execute(_ body: () throws -> Int32) throws {
    do {
        let status = try body()
        if status != 0 { throw ExitCode(status) }
    } catch let usage as UsageError {
        FileHandle.standardError.write(Data("lessonbook: error: \(usage)\n".utf8))
        throw ExitCode(2)
    }
}

/// Where cell records are kept: the options every command shares.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("The cache folder (default: $LESSONBOOK_CACHE, else .lessonbook/cache).", valueName: "folder"))
    var cacheDir: String?

    @Option(name: .customLong("cache-size"), help: ArgumentHelp("Most the cache may hold, e.g. 500MB (default: $LESSONBOOK_CACHE_SIZE, else cache-size: in lessons/README.md, else 1GiB).", valueName: "size"))
    var cacheSize: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write cell records: execute every cell.")
    var noCache = false

    /// The cache, or nil with --no-cache.
    func cache(courseFolder: String = "lessons") throws -> CellCache? {
        noCache ? nil : try CellCache.configured(directory: cacheDir, cap: cacheSize, courseFolder: courseFolder)
    }

    /// The same cache for a child process.
    func childArguments(_ cache: CellCache?) -> [String] {
        guard let cache else { return ["--no-cache"] }
        return ["--cache-dir", cache.root.path, "--cache-size", String(cache.capBytes)]
    }
}

/// The course folder of a command's lessons: the first folder given, else `lessons`.
func courseFolder(_ paths: [String]) -> String {
    for path in paths {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
        }
    }
    return "lessons"
}

/// `--shard K/N`, parsed.
func parseShard(_ text: String?) throws -> Lessonbook.Shard? {
    try text.map { try Lessonbook.Shard(parsing: $0) }
}

extension LessonbookCommand {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run lessons and write their Markdown and HTML pages.",
            discussion: """
            For each lesson writes OUTPUT/NAME.md (the lesson with fresh ```output blocks and \
            links to its images), OUTPUT/NAME.html (its page: highlighted code, outputs, \
            tables, images, diagrams, KaTeX math, with the course's sidebar, contents and \
            previous/next links), each image as OUTPUT/NAME/CELL-K.png and .pgm, each plot as \
            OUTPUT/NAME/CELL-K.svg, and the files its prose links to. Then OUTPUT/index.html \
            (the home page, from the lessons' README.md), OUTPUT/report.html (status, times \
            and failures) and OUTPUT/assets/ (KaTeX, the search index and script). \
            A failing lesson is rendered with its error and the others go on; the exit status \
            is then 1. Lessons are never modified: an OUTPUT where a rendered file would be \
            a lesson (render lessons -o lessons) is refused, and so are two lessons whose \
            NAME is the same (a/intro.md and b/intro.md, "x y.md" and x-y.md, names differing \
            in case or in letters outside A-Z a-z 0-9 . _ -): rename one. Both exit 2 before anything runs.
            Cells whose record in the cache is valid are not executed again (a prose-only edit \
            executes nothing); --fresh executes every cell. A lesson whose requires: file is \
            missing is rendered from its records, or from the output blocks in the lesson, with a note.

            Examples:
              lessonbook render
              lessonbook render lessons/01-cross-correlation.md -o /tmp/site
              lessonbook render --shard 2/3
            """)

        @Argument(help: ArgumentHelp("Lesson files or folders (default: every lessons/*.md, in name order).", valueName: "paths"))
        var paths: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp("Folder to write the pages into.", valueName: "folder"))
        var output = "output"

        @Flag(help: "Execute every cell, ignoring the records in the cache.")
        var fresh = false

        @Option(help: ArgumentHelp("Render only the K-th of N parts of the lessons (for a CI matrix).", valueName: "K/N"))
        var shard: String?

        @OptionGroup var cacheOptions: CacheOptions

        @Flag(name: .customLong("self-contained"), help: "Put KaTeX (script, stylesheet, fonts) and the page script inside each lesson page, so one HTML file stands alone.")
        var selfContained = false

        func run() throws {
            try execute {
                let cache = try cacheOptions.cache(courseFolder: courseFolder(paths))
                return try Lessonbook.render(paths: paths, output: output, fresh: fresh, shard: try parseShard(shard),
                                             selfContained: selfContained, executor: { LessonExecutor(cache: cache) })
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run lessons as doctests: compare each cell with its ```output block.",
            discussion: """
            Numbers compare within a tolerance (relative 1e-4, or a cell's tolerance=REL, with a \
            floor of one unit in the last printed digit; whole numbers exactly); other text \
            compares exactly after trailing spaces are trimmed. A difference prints \
            FILE:LINE: cell ID: output differs, a unified diff and the largest numeric difference.
            A cell that prints but has no output block fails (unless nondeterministic or no-check). \
            A lesson whose requires: file is missing is skipped (a failure with --strict).
            Every cell is executed (it is the test); --cached reuses cells whose record is valid. \
            With several lessons each runs in its own process, so a crash fails only its lesson.
            Exit status: 0 when every lesson passes, 1 when any differs or fails, 2 for usage errors \
            (including an output path that cannot be written, or no lessons).
            Under GITHUB_ACTIONS=true, failures are also printed as ::error annotations and skips as ::warning.

            Examples:
              lessonbook check
              lessonbook check lessons/03-channels.md --update
              lessonbook check --jobs 2 --junit build/lessons.xml --strict
              lessonbook check --shard 1/3
            """)

        @Argument(help: ArgumentHelp("Lesson files or folders (default: every lessons/*.md, in name order).", valueName: "paths"))
        var paths: [String] = []

        @Flag(help: "Rewrite the ```output blocks in the lessons (in place, atomically, after each lesson ran) instead of comparing.")
        var update = false

        @Option(help: ArgumentHelp("Write a JUnit XML report to this file.", valueName: "file"))
        var junit: String?

        @Option(help: ArgumentHelp("Check this many lessons at once, each in its own process.", valueName: "n"))
        var jobs = 1

        @Flag(help: "Reuse cells whose record in the cache is valid instead of executing them.")
        var cached = false

        @Flag(help: "Count a skipped lesson (a requires: file is missing) as a failure.")
        var strict = false

        @Option(help: ArgumentHelp("Check only the K-th of N parts of the lessons (for a CI matrix).", valueName: "K/N"))
        var shard: String?

        @Option(help: .hidden)
        var reportJson: String?

        @OptionGroup var cacheOptions: CacheOptions

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            try execute {
                let cache = try cacheOptions.cache(courseFolder: courseFolder(paths))
                var options = Lessonbook.CheckOptions()
                options.update = update
                options.cached = cached
                options.strict = strict
                options.junit = junit
                options.reportJSON = reportJson
                options.jobs = jobs
                options.shard = try parseShard(shard)
                options.cacheArguments = cacheOptions.childArguments(cache)
                return try Lessonbook.check(paths: paths, options: options, executable: currentExecutable(),
                                            executor: { LessonExecutor(cache: cache) })
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a lesson (or a .swift script) and print its output.",
            discussion: """
            Prints each cell's output on stdout as it is produced. With --cell, runs the lesson up \
            to that cell, prints the cell's output and rewrites OUTPUT/NAME.md and .html. Cells \
            whose record in the cache is valid (same source, earlier cells, seed, requires: files \
            and build) are not executed again: the run resumes from the state stored after the \
            last of them, and says on stderr how many cells it executed and reused.

            Examples:
              lessonbook run lessons/01-cross-correlation.md
              lessonbook run lessons/01-cross-correlation.md --cell edges
              lessonbook run lessons/01-cross-correlation.md --cell 3 --update
              lessonbook run experiment.swift
            """)

        @Argument(help: ArgumentHelp("A Markdown lesson or a .swift script.", valueName: "lesson"))
        var lesson: String

        @Option(help: ArgumentHelp("Rerun only up to this cell (its id= or 1-based number) and print its output.", valueName: "id|n"))
        var cell: String?

        @Flag(help: "Write the new output back into the lesson's ```output block(s).")
        var update = false

        @Option(name: .shortAndLong, help: ArgumentHelp("Folder of the rendered pages updated by --cell.", valueName: "folder"))
        var output = "output"

        @Flag(help: "Execute every cell, ignoring the records in the cache.")
        var fresh = false

        @OptionGroup var cacheOptions: CacheOptions

        func run() throws {
            try execute {
                let cache = try cacheOptions.cache(courseFolder: courseFolder([lesson]))
                return try Lessonbook.run(path: lesson, cell: cell, update: update, fresh: fresh, output: output,
                                          executor: { LessonExecutor(cache: cache) })
            }
        }
    }

    struct Watch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rerun a lesson on every save and re-render its page.",
            discussion: """
            Prints the outputs that changed after each save and rewrites OUTPUT/NAME.md and \
            .html. Stop it with Ctrl-C.

            Example:
              lessonbook watch lessons/04-pooling.md
            """)

        @Argument(help: ArgumentHelp("The Markdown lesson to watch.", valueName: "lesson"))
        var lesson: String

        @Option(name: .shortAndLong, help: ArgumentHelp("Folder to write the page into.", valueName: "folder"))
        var output = "output"

        @OptionGroup var cacheOptions: CacheOptions

        func run() throws {
            try execute {
                let cache = try cacheOptions.cache(courseFolder: courseFolder([lesson]))
                return try Lessonbook.watch(path: lesson, output: output, executor: { LessonExecutor(cache: cache) })
            }
        }
    }

    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the course with live reload and in-page editing of cells.",
            discussion: """
            Renders the lessons into OUTPUT through the cache and serves them on 127.0.0.1 (port \
            8265 or the next free one). Open the printed URL: it carries the access token. Pages \
            reload when a lesson or asset changes on disk; each cell has Edit, Run (Shift+Enter), \
            Save (writes the cell and its output block into the lesson) and Stop. Stop with Ctrl-C.

            Example:
              lessonbook serve lessons
            """)

        @Argument(help: ArgumentHelp("Lessons or folders of lessons (default: lessons).", valueName: "lesson|folder"))
        var paths: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp("Folder to write the site into.", valueName: "folder"))
        var output = "output"

        @Option(help: ArgumentHelp("Port to listen on (default: 8265 or the next free one).", valueName: "n"))
        var port: UInt16?

        @Option(help: ArgumentHelp("Address to listen on instead of 127.0.0.1 (prints a warning).", valueName: "address"))
        var host = "127.0.0.1"

        @Flag(help: "Open the page in the browser (xdg-open).")
        var open = false

        @OptionGroup var cacheOptions: CacheOptions

        func run() throws {
            try execute {
                let cache = try cacheOptions.cache(courseFolder: courseFolder(paths))
                return try Lessonbook.serve(paths: paths, output: output, host: host, port: port, open: open, cache: cache)
            }
        }
    }

    struct Cache: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show, prune or clear the cache of cell records.",
            discussion: """
            info: the cache's size against its cap, and the records and bytes of each lesson.
            prune: delete damaged and unusable files, then the least recently used ones down to the cap.
            clear: delete the whole cache folder.

            Examples:
              lessonbook cache info
              lessonbook cache prune --cache-size 200MB
              lessonbook cache clear
            """)

        @Argument(help: ArgumentHelp("info, prune or clear.", valueName: "action"))
        var action: String

        @OptionGroup var cacheOptions: CacheOptions

        func run() throws {
            try execute {
                guard let cache = try cacheOptions.cache() else { throw UsageError("cache needs a cache; drop --no-cache") }
                return try Lessonbook.cache(action, cache: cache)
            }
        }
    }
}

/// This executable's path, for `check --jobs` children.
func currentExecutable() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    return Bundle.main.executablePath ?? CommandLine.arguments[0]
}
