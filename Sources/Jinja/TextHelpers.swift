// Python library behaviours some filters rely on: pprint, html.unescape, urllib quote, textwrap, urlize.
import FoundationEssentials
import Glibc
import SystemKit

/// `pprint.pformat(value)`: repr with sorted dict keys, broken over lines past 80 columns the way
/// CPython's PrettyPrinter does (long strings are split at whitespace into adjacent literals).
enum PrettyPrint {
    static let width = 80

    static func format(_ v: Value) throws -> String {
        var out = ""
        var context = Set<ObjectIdentifier>()
        try format(v, &out, indent: 0, allowance: 0, level: 0, context: &context)
        return out
    }

    /// What pprint prints for a list or dict met again inside itself. Python shows the object's
    /// id(), an address that changes from run to run; talos-batch prints a stable placeholder.
    static func recursion(_ v: Value) -> String { "<Recursion on \(v.typeName) with id=0>" }

    /// pprint's _safe_repr: repr with sorted dict keys; `context` holds the containers being printed.
    static func safeRepr(_ v: Value, context: inout Set<ObjectIdentifier>, level: Int) throws -> String {
        try Limits.nesting(level)
        if let id = v.containerIdentity {
            if context.contains(id) { return recursion(v) }
            context.insert(id)
        }
        defer { if let id = v.containerIdentity { context.remove(id) } }
        switch v {
        case .list(let l):
            return "[" + (try l.items.map { try safeRepr($0, context: &context, level: level + 1) }).joined(separator: ", ") + "]"
        case .tuple(let t):
            let parts = try t.map { try safeRepr($0, context: &context, level: level + 1) }
            return t.count == 1 ? "(" + parts[0] + ",)" : "(" + parts.joined(separator: ", ") + ")"
        case .dict(let d):
            return "{" + (try sortedPairs(d).map {
                try safeRepr($0.0, context: &context, level: level + 1) + ": " + safeRepr($0.1, context: &context, level: level + 1)
            }).joined(separator: ", ") + "}"
        default: return PythonRepr.repr(v)
        }
    }

    static func sortedPairs(_ d: DictStorage) -> [(Value, Value)] {
        let pairs = zip(d.keys, d.values).map { ($0, $1) }
        return (try? Filters.stableSort(pairs) { try Interpreter.pyLess($0.0, $1.0) }) ?? pairs
    }

    private static func length(_ s: String) -> Int { s.unicodeScalars.count }

    static func format(_ v: Value, _ out: inout String, indent: Int, allowance: Int, level: Int,
                       context: inout Set<ObjectIdentifier>) throws {
        try Limits.nesting(level)
        if let id = v.containerIdentity, context.contains(id) {
            out += recursion(v)
            return
        }
        let rep = try safeRepr(v, context: &context, level: level)
        if length(rep) <= width - indent - allowance {
            out += rep
            return
        }
        if let id = v.containerIdentity { context.insert(id) }
        defer { if let id = v.containerIdentity { context.remove(id) } }
        switch v {
        case .list(let l) where !l.items.isEmpty:
            out += "["
            try items(l.items, &out, indent: indent, allowance: allowance + 1, level: level + 1, context: &context)
            out += "]"
        case .tuple(let t) where !t.isEmpty:
            out += "("
            try items(t, &out, indent: indent, allowance: allowance + 1, level: level + 1, context: &context)
            out += t.count == 1 ? ",)" : ")"
        case .dict(let d) where d.count > 0:
            out += "{"
            let pairs = sortedPairs(d)
            let inner = indent + 1
            for (i, (k, val)) in pairs.enumerated() {
                let last = i == pairs.count - 1
                let krepr = try safeRepr(k, context: &context, level: level + 1)
                out += krepr + ": "
                try format(val, &out, indent: inner + length(krepr) + 2, allowance: last ? allowance + 1 : 1, level: level + 1, context: &context)
                if !last { out += ",\n" + String(repeating: " ", count: inner) }
            }
            out += "}"
        case .string(let s) where !s.isEmpty:
            string(s, &out, indent: indent, allowance: allowance, level: level + 1)
        default:
            out += rep
        }
    }

    private static func items(_ values: [Value], _ out: inout String, indent: Int, allowance: Int, level: Int,
                              context: inout Set<ObjectIdentifier>) throws {
        let inner = indent + 1
        for (i, item) in values.enumerated() {
            let last = i == values.count - 1
            if i > 0 { out += ",\n" + String(repeating: " ", count: inner) }
            try format(item, &out, indent: inner, allowance: last ? allowance : 1, level: level, context: &context)
        }
    }

    /// PrettyPrinter._pprint_str.
    private static func string(_ s: String, _ out: inout String, indent startIndent: Int, allowance startAllowance: Int, level: Int) {
        var indent = startIndent, allowance = startAllowance
        let lines = PyString.splitlines(s, keepends: true)
        if level == 1 { indent += 1; allowance += 1 }
        var maxWidth1 = width - indent
        let maxWidth = width - indent
        var chunks: [String] = []
        for (i, line) in lines.enumerated() {
            let rep = PythonRepr.string(line)
            if i == lines.count - 1 { maxWidth1 -= allowance }
            if length(rep) <= maxWidth1 {
                chunks.append(rep)
                continue
            }
            // Alternating runs of non-space then space characters (re.findall(r'\S*\s*', line)).
            var parts: [String] = []
            var current = ""
            var inSpace = false
            for c in line.unicodeScalars {
                let space = PyString.isSpace(c)
                if !space && inSpace { parts.append(current); current = ""; inSpace = false }
                if space { inSpace = true }
                current.unicodeScalars.append(c)
            }
            if !current.isEmpty { parts.append(current) }
            var maxWidth2 = maxWidth
            var piece = ""
            for (j, part) in parts.enumerated() {
                let candidate = piece + part
                if j == parts.count - 1, i == lines.count - 1 { maxWidth2 -= allowance }
                if length(PythonRepr.string(candidate)) > maxWidth2 {
                    if !piece.isEmpty { chunks.append(PythonRepr.string(piece)) }
                    piece = part
                } else {
                    piece = candidate
                }
            }
            if !piece.isEmpty { chunks.append(PythonRepr.string(piece)) }
        }
        if chunks.count == 1 {
            out += PythonRepr.string(lines.last ?? s)
            return
        }
        if level == 1 { out += "(" }
        for (i, chunk) in chunks.enumerated() {
            if i > 0 { out += "\n" + String(repeating: " ", count: indent) }
            out += chunk
        }
        if level == 1 { out += ")" }
    }
}

/// `html.unescape` for the entities striptags meets in practice.
enum HTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "copy": "©", "reg": "®",
    ]

    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let name = String(s[s.index(after: i)..<semi])
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(UnicodeScalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(UnicodeScalar.init).map { String($0) }
                } else {
                    replacement = named[name]
                }
                if let replacement {
                    out += replacement
                    i = s.index(after: semi)
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}

/// `urllib.parse.quote`.
enum URLQuote {
    /// `plus`: encode spaces as "+" (query-string values, as Jinja2's urlencode does for pairs).
    static func quote(_ s: String, safe: String, plus: Bool = false) -> String {
        let always = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~".utf8)
        let extra = Set(safe.utf8)
        var out = ""
        for b in s.utf8 {
            if plus, b == 0x20 {
                out += "+"
            } else if always.contains(b) || extra.contains(b) {
                out.unicodeScalars.append(UnicodeScalar(b))
            } else {
                out += String(cFormat: "%%%02X", b)
            }
        }
        return out
    }
}

/// Jinja2's `urlize` (utils.urlize with the default policies: rel="noopener", no target, no trimming).
enum Urlize {
    // try! on constant patterns: they compile or every urlize test fails; no input reaches them. Scalar by
    // scalar as Python's re; (?=\n?\z) is Python's `$`. nonisolated(unsafe): a Regex is immutable, only not
    // marked Sendable.
    nonisolated(unsafe) private static let http = try! Regex("""
        ^((https?://|www\\.)(([\\w%-]+\\.)+)?([a-z]{2,63}|xn--[\\w%]{2,59})|([\\w%-]{2,63}\\.)+(com|net|int|edu|gov|org|info|mil)|(https?://)((([\\d]{1,3})(\\.[\\d]{1,3}){3})|(\\[([\\da-f]{0,4}:){2}([\\da-f]{0,4}:?){1,6}])))(?::[\\d]{1,5})?(?:[/?#]\\S*)?(?=\\n?\\z)
        """).matchingSemantics(.unicodeScalar).ignoresCase()
    nonisolated(unsafe) private static let email = try! Regex("^\\S+@\\w[\\w.-]*\\.\\w+(?=\\n?\\z)").matchingSemantics(.unicodeScalar)
    nonisolated(unsafe) private static let lead = try! Regex("^([(<]|&lt;)+").matchingSemantics(.unicodeScalar)
    nonisolated(unsafe) private static let trail = try! Regex("([)>.,\\n]|&gt;)+(?=\\n?\\z)").matchingSemantics(.unicodeScalar)

    private static func matches(_ regex: Regex<AnyRegexOutput>, _ s: String) -> Bool {
        (try? regex.firstMatch(in: s)) != nil
    }

    static func urlize(_ text: String) -> String {
        let escaped = Filters.escapeHTML(text)
        // re.split(r"(\s+)", …): words and the whitespace runs between them.
        var words: [String] = []
        var current = ""
        var inSpace: Bool?
        for c in escaped.unicodeScalars {
            let space = PyString.isSpace(c)
            if let s = inSpace, s != space { words.append(current); current = "" }
            current.unicodeScalars.append(c)
            inSpace = space
        }
        words.append(current)
        return words.map(convert).joined()
    }

    private static func convert(_ word: String) -> String {
        if word.unicodeScalars.first.map(PyString.isSpace) ?? true { return word }
        var head = "", middle = word, tail = ""
        if let m = try? lead.firstMatch(in: word) {
            head = String(word.unicodeScalars[m.range])
            middle = String(word.unicodeScalars[m.range.upperBound...])
        }
        if [")", ">", ".", ",", "\n", "&gt;"].contains(where: { middle.hasSuffix($0) }) {
            let whole = middle
            if let m = try? trail.firstMatch(in: whole) {
                tail = String(whole.unicodeScalars[m.range])
                middle = String(whole.unicodeScalars[..<m.range.lowerBound])
            }
        }
        for (open, close) in [("(", ")"), ("<", ">"), ("&lt;", "&gt;")] {
            let opens = PyString.count(middle, open)
            if opens <= PyString.count(middle, close) { continue }
            for _ in 0..<min(opens, PyString.count(tail, close)) {
                guard let r = tail.scalarRange(of: close) else { break }
                middle += String(tail.unicodeScalars[..<r.upperBound])
                tail = String(tail.unicodeScalars[r.upperBound...])
            }
        }
        if matches(http, middle) {
            if middle.hasPrefix("https://") || middle.hasPrefix("http://") {
                middle = "<a href=\"\(middle)\" rel=\"noopener\">\(middle)</a>"
            } else {
                middle = "<a href=\"https://\(middle)\" rel=\"noopener\">\(middle)</a>"
            }
        } else if middle.hasPrefix("mailto:"), matches(email, String(middle.dropFirst(7))) {
            middle = "<a href=\"\(middle)\">\(middle.dropFirst(7))</a>"
        } else if middle.contains("@"), !middle.hasPrefix("www."), !middle.contains(":"), matches(email, middle) {
            middle = "<a href=\"mailto:\(middle)\">\(middle)</a>"
        }
        return head + middle + tail
    }
}

/// `textwrap.wrap` as the wordwrap filter calls it (no tab expansion, whitespace kept, CPython's
/// word-splitting regular expression for hyphenated words and em-dashes).
enum TextWrap {

    static func wordwrap(_ s: String, width: Int, breakLongWords: Bool, wrapString: String, breakOnHyphens: Bool) throws -> String {
        guard width > 0 else { throw EvalError.runtime("invalid width \(width) (must be > 0)") }
        return PyString.splitlines(s, keepends: false).map {
            wrap($0, width: width, breakLongWords: breakLongWords, breakOnHyphens: breakOnHyphens).joined(separator: wrapString)
        }.joined(separator: wrapString)
    }

    /// `re.split` of CPython's `wordsep_re` (or `wordsep_simple_re`, whitespace runs) with its capturing
    /// group: the chunks, empties dropped. Matched by hand because the pattern needs lookbehind, which
    /// Swift's Regex lacks; every position starts a match (whitespace run, em-dash or word), so no gaps.
    static func chunks(_ text: String, breakOnHyphens: Bool) -> [String] {
        let s = Array(text.unicodeScalars)
        func at(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < s.count ? s[i] : nil }
        // [\t\n\x0b\x0c\r ], \w (str.isalnum or _), [^\d\W] and textwrap's word punctuation.
        func ws(_ i: Int) -> Bool { at(i).map { ["\t", "\n", "\u{0B}", "\u{0C}", "\r", " "].contains($0) } ?? false }
        func word(_ i: Int) -> Bool {
            guard let c = at(i) else { return false }
            if c == "_" { return true }
            switch c.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber: return true
            default: return false
            }
        }
        func letter(_ i: Int) -> Bool { word(i) && at(i)!.properties.generalCategory != .decimalNumber }
        func punctuation(_ i: Int) -> Bool { word(i) || (at(i).map { "!\"'&.,?".unicodeScalars.contains($0) } ?? false) }
        func dash(_ i: Int) -> Bool { at(i) == "-" }
        /// The end of a run of two or more dashes at i followed by a word character (`-{2,}(?=\w)`).
        func emDashEnd(_ i: Int) -> Int? {
            var j = i
            while dash(j) { j += 1 }
            return j - i >= 2 && word(j) ? j : nil
        }
        func matchEnd(_ i: Int) -> Int {
            if ws(i) {
                var j = i
                while ws(j) { j += 1 }
                return j
            }
            guard breakOnHyphens else {
                var j = i
                while j < s.count, !ws(j) { j += 1 }
                return j
            }
            if punctuation(i - 1), let end = emDashEnd(i) { return end }
            // A word, shortest first: up to a hyphen between letters, the end of the word, or an em-dash.
            var j = i + 1
            while true {
                if dash(j), (letter(j - 2) && letter(j - 1)) || (letter(j - 3) && dash(j - 2) && letter(j - 1)),
                   letter(j + 1), letter(j + 2) || (dash(j + 2) && letter(j + 3)) {
                    return j + 1
                }
                if j >= s.count || ws(j) { return j }
                if punctuation(j - 1), emDashEnd(j) != nil { return j }
                j += 1
            }
        }
        var out: [String] = []
        var i = 0
        while i < s.count {
            let end = matchEnd(i)
            var chunk = ""
            chunk.unicodeScalars.append(contentsOf: s[i..<end])
            out.append(chunk)
            i = end
        }
        return out
    }

    private static func isBlank(_ s: String) -> Bool { s.unicodeScalars.allSatisfy(PyString.isSpace) }
    private static func len(_ s: String) -> Int { s.unicodeScalars.count }

    static func wrap(_ text: String, width: Int, breakLongWords: Bool, breakOnHyphens: Bool) -> [String] {
        var chunks = Array(chunks(text, breakOnHyphens: breakOnHyphens).reversed())
        var lines: [String] = []
        while !chunks.isEmpty {
            var line: [String] = []
            var length = 0
            if let last = chunks.last, isBlank(last), !lines.isEmpty { chunks.removeLast() }
            while let last = chunks.last, length + len(last) <= width {
                line.append(chunks.removeLast())
                length += len(last)
            }
            if let last = chunks.last, len(last) > width {
                // _handle_long_word
                let spaceLeft = width < 1 ? 1 : width - length
                if breakLongWords {
                    var end = spaceLeft
                    let scalars = Array(last.unicodeScalars)
                    if breakOnHyphens, scalars.count > spaceLeft {
                        if let hyphen = scalars[0..<min(spaceLeft, scalars.count)].lastIndex(of: "-"), hyphen > 0,
                           scalars[0..<hyphen].contains(where: { $0 != "-" }) {
                            end = hyphen + 1
                        }
                    }
                    line.append(PyString.string(scalars.prefix(end)))
                    chunks[chunks.count - 1] = PyString.string(scalars.dropFirst(end))
                } else if line.isEmpty {
                    line.append(chunks.removeLast())
                }
            }
            if let l = line.last, isBlank(l) { line.removeLast() }
            if !line.isEmpty { lines.append(line.joined()) }
        }
        return lines
    }
}
