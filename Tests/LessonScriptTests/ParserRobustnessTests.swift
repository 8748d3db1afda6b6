import Foundation
import XCTest
@testable import LessonScript

/// Feeds the lexer, parser and resolver truncated and mangled versions of every golden
/// script: each must come back with statements or a located diagnostic, never crash.
final class ParserRobustnessTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    /// Parses and resolves; returns whether a diagnostic came back. Fails the test if the
    /// diagnostic points outside the text.
    @discardableResult
    func check(_ bytes: [UInt8], _ what: String) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        let source = SourceText(text, file: "mangled.swift", firstLine: 1)
        do {
            let statements = try Parser.parse(source)
            let resolver = Resolver(library: Self.library, globals: GlobalTable(), source: source, knownTypes: [:])
            _ = try resolver.resolveCell(statements)
            return false
        } catch let issue as SyntaxIssue {
            XCTAssert(issue.range.start >= 0 && issue.range.start <= source.bytes.count, "\(what): issue outside the text")
            let diagnostic = source.diagnostic(issue.kind, issue.message, at: issue.range)
            XCTAssertFalse(diagnostic.message.isEmpty, what)
            _ = diagnostic.description
            return true
        } catch {
            XCTFail("\(what): unexpected error \(error)")
            return true
        }
    }

    static let library = BuiltinLibrary.standard()

    func testTruncatedAndMangledScripts() throws {
        let scripts = goldenScripts()
        XCTAssertFalse(scripts.isEmpty)
        var generator = Generator(state: 20_240_611)
        var diagnostics = 0
        for (name, url) in scripts {
            let text = try String(contentsOf: url, encoding: .utf8)
            let bytes = Array(text.utf8)
            var lexer = Lexer(bytes: bytes)
            let tokens = lexer.tokenize().filter { $0.kind != .endOfFile }
            // Prefixes ending at token boundaries (all of them for short scripts, evenly
            // spaced ones for long scripts, to keep the test fast).
            let stride = max(1, tokens.count / 80)
            for (n, t) in tokens.enumerated() where n % stride == 0 || n >= tokens.count - 5 {
                if check(Array(bytes[..<t.range.start]), "\(name) cut before \(t.range.start)") { diagnostics += 1 }
            }
            // Some cuts at arbitrary bytes (possibly inside strings or multi-byte characters).
            for _ in 0..<20 {
                let cut = generator.below(bytes.count + 1)
                check(Array(bytes[..<cut]), "\(name) cut at byte \(cut)")
            }
            // Deleted, duplicated and swapped tokens.
            guard tokens.count > 2 else { continue }
            for round in 0..<36 {
                let i = generator.below(tokens.count)
                let a = tokens[i].range
                var mangled: [UInt8]
                switch round % 3 {
                case 0:
                    mangled = Array(bytes[..<a.start] + bytes[a.end...])
                case 1:
                    mangled = Array(bytes[..<a.end] + [32] + bytes[a.start...])
                default:
                    let j = min(i + 1, tokens.count - 1)
                    let b = tokens[j].range
                    guard b.start >= a.end else { continue }
                    mangled = Array(bytes[..<a.start] + bytes[b.start..<b.end] + bytes[a.end..<b.start] + bytes[a.start..<a.end] + bytes[b.end...])
                }
                if check(mangled, "\(name) mangled round \(round) at token \(i)") { diagnostics += 1 }
                _ = Lexer.highlight(String(decoding: mangled, as: UTF8.self))
            }
        }
        XCTAssertGreaterThan(diagnostics, 100, "mangled scripts should mostly be rejected")
    }

    func testDeepNestingIsADiagnostic() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        XCTAssertTrue(check(Array(("let x = " + deep).utf8), "deep parentheses"))
        let blocks = String(repeating: "if true {", count: 2000) + String(repeating: "}", count: 2000)
        XCTAssertTrue(check(Array(blocks.utf8), "deep blocks"))
    }
}
