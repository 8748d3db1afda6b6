import Foundation

/// Compares what a cell printed with its ```output block.
///
/// Both texts are split into lines, trailing spaces and trailing empty lines dropped. Lines
/// must match token for token: text exactly, numbers within a tolerance. A number with a
/// fractional part or an exponent (`0.1235`, `1e-05`) matches when
/// `|actual − expected| ≤ max(rel × max(|actual|, |expected|), ulp)`, where `rel` is the cell's
/// `tolerance=` (default 1e-4) and `ulp` one unit in the last printed place of the coarser of
/// the two (so a last digit that rounds the other way still matches). Whole numbers (`42`,
/// `196609000`, `3.`) are counts and shapes: they must be equal, unless the cell sets
/// `tolerance=`, which then applies to them as well.
public struct OutputComparison {
    /// The default relative tolerance.
    public static let defaultRelativeTolerance = 1e-4

    /// Where the numbers differ most.
    public struct NumberDifference: Equatable {
        /// 1-based line within the output block.
        public var line: Int
        public var expected: String
        public var actual: String
        public var difference: Double
    }

    public struct Result: Equatable {
        public var matches: Bool
        /// The largest numeric difference between aligned numbers (nil when no numbers lined up).
        public var largest: NumberDifference?
        /// A unified diff of expected against actual (empty when they match).
        public var diff: String
    }

    public var relativeTolerance: Double
    /// True when the cell set `tolerance=`; then whole numbers are compared with it too.
    public var explicitTolerance: Bool

    public init(tolerance: Double? = nil) {
        relativeTolerance = tolerance ?? Self.defaultRelativeTolerance
        explicitTolerance = tolerance != nil
    }

    /// Lines of `text` as compared: trailing spaces and trailing empty lines removed.
    public static func normalizedLines(_ text: String) -> [String] {
        var lines = text.linesSplitAtNewline.map { line -> String in
            var s = Substring(line)
            while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
            return String(s)
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
    }

    public func compare(expected: String, actual: String, expectedLabel: String = "expected", actualLabel: String = "actual") -> Result {
        let e = Self.normalizedLines(expected)
        let a = Self.normalizedLines(actual)
        var matches = e.count == a.count
        var largest: NumberDifference?
        for (index, (el, al)) in zip(e, a).enumerated() {
            let outcome = compareLine(el, al, line: index + 1)
            if !outcome.matches { matches = false }
            if let d = outcome.largest, d.difference > (largest?.difference ?? -1) { largest = d }
        }
        let diff = matches ? "" : UnifiedDiff.make(expected: e, actual: a, expectedLabel: expectedLabel, actualLabel: actualLabel)
        return Result(matches: matches, largest: largest, diff: diff)
    }

    private func compareLine(_ expected: String, _ actual: String, line: Int) -> (matches: Bool, largest: NumberDifference?) {
        if expected == actual { return (true, nil) }
        let et = Token.split(expected), at = Token.split(actual)
        guard et.count == at.count else { return (false, nil) }
        var matches = true
        var largest: NumberDifference?
        for (x, y) in zip(et, at) {
            switch (x, y) {
            case (.text(let s), .text(let t)):
                if s != t { matches = false }
            case (.number(let n), .number(let m)):
                let difference = abs(n.value - m.value)
                if difference > (largest?.difference ?? -1) || (difference.isNaN && largest == nil) {
                    largest = NumberDifference(line: line, expected: n.text, actual: m.text, difference: difference)
                }
                if !numbersMatch(n, m) { matches = false }
            default:
                matches = false
            }
        }
        return (matches, largest)
    }

    func numbersMatch(_ expected: Token.Number, _ actual: Token.Number) -> Bool {
        if expected.text == actual.text { return true }
        let e = expected.value, a = actual.value
        if e.isNaN || a.isNaN || e.isInfinite || a.isInfinite { return false }
        let whole = expected.ulp == nil && actual.ulp == nil
        if whole && !explicitTolerance { return e == a }
        let floor = whole ? 0 : max(expected.ulp ?? 0, actual.ulp ?? 0)
        // The small factor absorbs the binary rounding of the decimal values themselves.
        let allowed = max(relativeTolerance * max(abs(e), abs(a)), floor) * (1 + 1e-9)
        return abs(a - e) <= allowed
    }

    /// A line cut into numbers and the text between them.
    enum Token: Equatable {
        struct Number: Equatable {
            var text: String
            var value: Double
            /// One unit in the last printed place; nil for whole numbers.
            var ulp: Double?
        }
        case text(String)
        case number(Number)

        /// Numbers are `-?digits(.digits)?(e[+-]?digits)?`, not glued to a letter or `_` on
        /// the left (so `conv2d` and `x1` stay text).
        static func split(_ line: String) -> [Token] {
            let chars = Array(line.unicodeScalars)
            var tokens: [Token] = []
            var text = ""
            var i = 0
            func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
            func isWordChar(_ c: Unicode.Scalar) -> Bool {
                CharacterSet.letters.contains(c) || c == "_" || isDigit(c)
            }
            while i < chars.count {
                let c = chars[i]
                let previous: Unicode.Scalar? = i > 0 ? chars[i - 1] : nil
                let startsNumber: Bool = {
                    if let p = previous, isWordChar(p) || p == "." { return false }
                    if isDigit(c) { return true }
                    if c == "-", i + 1 < chars.count, isDigit(chars[i + 1]) { return true }
                    return false
                }()
                guard startsNumber else { text.unicodeScalars.append(c); i += 1; continue }
                var j = i
                if chars[j] == "-" { j += 1 }
                while j < chars.count, isDigit(chars[j]) { j += 1 }
                var decimals: Int?
                if j < chars.count, chars[j] == "." {
                    var k = j + 1
                    while k < chars.count, isDigit(chars[k]) { k += 1 }
                    decimals = k - j - 1
                    j = k
                }
                var exponent = 0
                var hasExponent = false
                if j < chars.count, chars[j] == "e" || chars[j] == "E" {
                    var k = j + 1
                    if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
                    let digitsStart = k
                    while k < chars.count, isDigit(chars[k]) { k += 1 }
                    if k > digitsStart {
                        exponent = Int(String(String.UnicodeScalarView(chars[(digitsStart - (chars[digitsStart - 1] == "-" || chars[digitsStart - 1] == "+" ? 1 : 0))..<k]))) ?? 0
                        hasExponent = true
                        j = k
                    }
                }
                // A number glued to a following letter (`3x3`, `2d`) is text.
                if j < chars.count, CharacterSet.letters.contains(chars[j]) {
                    while i < j { text.unicodeScalars.append(chars[i]); i += 1 }
                    continue
                }
                let literal = String(String.UnicodeScalarView(chars[i..<j]))
                guard let value = Double(literal) else {
                    while i < j { text.unicodeScalars.append(chars[i]); i += 1 }
                    continue
                }
                if !text.isEmpty { tokens.append(.text(text)); text = "" }
                var ulp: Double?
                if let d = decimals, d > 0 { ulp = pow(10, Double(exponent - d)) }
                else if hasExponent { ulp = pow(10, Double(exponent)) }
                tokens.append(.number(Number(text: literal, value: value, ulp: ulp)))
                i = j
            }
            if !text.isEmpty { tokens.append(.text(text)) }
            return tokens
        }
    }
}

/// A line-based unified diff (Myers-free: a plain LCS table, fine for cell outputs; very
/// large outputs fall back to one hunk replacing everything).
public enum UnifiedDiff {
    public static func make(expected: [String], actual: [String], expectedLabel: String, actualLabel: String, context: Int = 3) -> String {
        enum Op { case same(String), del(String), add(String) }
        var ops: [Op] = []
        let n = expected.count, m = actual.count
        if n * m <= 4_000_000 {
            var table = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    table[i][j] = expected[i] == actual[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
            var i = 0, j = 0
            while i < n || j < m {
                if i < n, j < m, expected[i] == actual[j] { ops.append(.same(expected[i])); i += 1; j += 1 }
                else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] { ops.append(.del(expected[i])); i += 1 }
                else { ops.append(.add(actual[j])); j += 1 }
            }
        } else {
            ops = expected.map { .del($0) } + actual.map { .add($0) }
        }

        var out = ["--- \(expectedLabel)", "+++ \(actualLabel)"]
        // Group changes with `context` lines around them into hunks.
        let changed = ops.indices.filter { if case .same = ops[$0] { return false } else { return true } }
        var k = 0
        while k < changed.count {
            var end = k
            while end + 1 < changed.count, changed[end + 1] - changed[end] <= 2 * context + 1 { end += 1 }
            let from = max(0, changed[k] - context), to = min(ops.count, changed[end] + context + 1)
            var oldLine = 1, newLine = 1
            for op in ops[0..<from] {
                switch op { case .same: oldLine += 1; newLine += 1; case .del: oldLine += 1; case .add: newLine += 1 }
            }
            var oldCount = 0, newCount = 0
            var body: [String] = []
            for op in ops[from..<to] {
                switch op {
                case .same(let s): body.append(" " + s); oldCount += 1; newCount += 1
                case .del(let s): body.append("-" + s); oldCount += 1
                case .add(let s): body.append("+" + s); newCount += 1
                }
            }
            out.append("@@ -\(oldCount == 0 ? oldLine - 1 : oldLine),\(oldCount) +\(newCount == 0 ? newLine - 1 : newLine),\(newCount) @@")
            out += body
            k = end + 1
        }
        return out.joined(separator: "\n")
    }
}
