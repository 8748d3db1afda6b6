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
        """,
        version: LessonRunner.LessonbookVersion.current,
        subcommands: [Render.self, Check.self, Run.self, Watch.self]
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
            is then 1. Lessons are never modified.

            Examples:
              lessonbook render
              lessonbook render lessons/01-cross-correlation.md -o /tmp/site
            """)

        @Argument(help: ArgumentHelp("Lesson files or folders (default: every lessons/*.md, in name order).", valueName: "paths"))
        var paths: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp("Folder to write the pages into.", valueName: "folder"))
        var output = "output"

        @Flag(name: .customLong("no-cache"), help: "Do not save snapshots of the state between cells in .lessonbook/cache/.")
        var noCache = false

        @Flag(name: .customLong("self-contained"), help: "Put KaTeX (script, stylesheet, fonts) and the page script inside each lesson page, so one HTML file stands alone.")
        var selfContained = false

        func run() throws {
            let snapshots: SnapshotStore? = noCache ? nil : .workingDirectory
            try execute { try Lessonbook.render(paths: paths, output: output, selfContained: selfContained,
                                                executor: { LessonExecutor(snapshots: snapshots) }) }
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
            Exit status: 0 when every lesson passes, 1 when any differs or fails, 2 for usage errors.
            Under GITHUB_ACTIONS=true, failures are also printed as ::error annotations.

            Examples:
              lessonbook check
              lessonbook check lessons/03-channels.md --update
              lessonbook check --jobs 2 --junit build/lessons.xml
            """)

        @Argument(help: ArgumentHelp("Lesson files or folders (default: every lessons/*.md, in name order).", valueName: "paths"))
        var paths: [String] = []

        @Flag(help: "Rewrite the ```output blocks in the lessons (in place, atomically, after each lesson ran) instead of comparing.")
        var update = false

        @Option(help: ArgumentHelp("Write a JUnit XML report to this file.", valueName: "file"))
        var junit: String?

        @Option(help: ArgumentHelp("Check this many lessons at once, each in its own process.", valueName: "n"))
        var jobs = 1

        @Option(help: .hidden)
        var reportJson: String?

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            try execute {
                try Lessonbook.check(paths: paths, update: update, junit: junit, jobs: jobs,
                                     reportJSON: reportJson, executable: currentExecutable())
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a lesson (or a .swift script) and print its output.",
            discussion: """
            Prints every cell's output on stdout. With --cell, runs the lesson up to that cell, \
            prints the cell's output and puts it into OUTPUT/NAME.md and .html. The cells before \
            it are not re-executed when a snapshot of their state is in .lessonbook/cache/ (saved \
            after each cell by render, check and run, and valid while the seed and those cells \
            are unchanged): the run restores the latest one and goes on from there.

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

        @Flag(name: .customLong("no-cache"), help: "Neither restore nor save snapshots: run every earlier cell.")
        var noCache = false

        func run() throws {
            let snapshots: SnapshotStore? = noCache ? nil : .workingDirectory
            try execute {
                try Lessonbook.run(path: lesson, cell: cell, update: update, output: output,
                                   executor: { LessonExecutor(snapshots: snapshots) })
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

        func run() throws {
            try execute { try Lessonbook.watch(path: lesson, output: output) }
        }
    }
}

/// This executable's path, for `check --jobs` children.
func currentExecutable() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    return Bundle.main.executablePath ?? CommandLine.arguments[0]
}
