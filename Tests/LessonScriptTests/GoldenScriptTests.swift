import Foundation
import XCTest
@testable import LessonScript

/// Golden tests of the language: every `.swift` file under `Scripts/` is run with the
/// standard library and its output compared with the comments in it.
///
/// Format of a golden script:
/// - `// expect: <line>` — the next line the script prints, in order. Every printed line
///   must be expected (nothing more, nothing less). A cell's displayed last value appears
///   as `=> <value>`; rich outputs as `[table: …]`, `[image: …]`, `[plot: …]`.
/// - `// error: <fragment> @ <line>:<column>` — the script must stop with a
///   `ScriptDiagnostic` whose message contains `<fragment>`, at that line and column of the
///   script file (at most one per script; lines printed before the error are still checked).
/// - `// --- cell ---` on its own line — starts a new cell (cells share globals; lines keep
///   counting through the file, as in a lesson).
/// Comments are found anywhere in the file, also at the end of a code line.
final class GoldenScriptTests: XCTestCase {
    struct Expectation {
        var lines: [String] = []
        var error: (fragment: String, line: Int, column: Int)?
    }

    static func expectations(in source: String) -> Expectation {
        var result = Expectation()
        for line in source.components(separatedBy: "\n") {
            if let r = line.range(of: "// expect: ") {
                result.lines.append(String(line[r.upperBound...]))
            } else if line.hasSuffix("// expect:") {
                result.lines.append("")
            } else if let r = line.range(of: "// error: ") {
                let spec = String(line[r.upperBound...])
                if let at = spec.range(of: " @ ", options: .backwards) {
                    let position = spec[at.upperBound...].split(separator: ":").compactMap { Int($0) }
                    if position.count == 2 {
                        result.error = (String(spec[..<at.lowerBound]), position[0], position[1])
                    }
                }
            }
        }
        return result
    }

    func testGoldenScripts() throws {
        let scripts = goldenScripts()
        XCTAssertGreaterThan(scripts.count, 20, "golden scripts not found in \(scriptsDirectory.path)")
        for (name, url) in scripts {
            let source = try String(contentsOf: url, encoding: .utf8)
            let expected = GoldenScriptTests.expectations(in: source)
            let (transcript, error) = runScript(source, file: name)
            if transcript != expected.lines {
                XCTFail("\(name): output differs\n--- expected\n\(expected.lines.joined(separator: "\n"))\n--- actual\n\(transcript.joined(separator: "\n"))")
            }
            switch (expected.error, error) {
            case (nil, nil): break
            case (nil, let e?): XCTFail("\(name): unexpected error\n\(e)")
            case (let x?, nil): XCTFail("\(name): expected error '\(x.fragment)' at \(x.line):\(x.column), but the script succeeded")
            case (let x?, let e?):
                guard let d = e as? ScriptDiagnostic else { XCTFail("\(name): not a ScriptDiagnostic: \(e)"); continue }
                if !d.message.contains(x.fragment) || d.location.line != x.line || d.location.column != x.column || d.location.file != name {
                    XCTFail("\(name): expected error '\(x.fragment)' at \(x.line):\(x.column), got\n\(d)")
                }
            }
        }
    }
}
