// Filters infrastructure templates use beyond Jinja2's builtins (Ansible's names and behaviour):
// to_yaml, to_nice_yaml, to_json, b64encode, b64decode, basename, dirname, regex_*, quote.
import FoundationEssentials
import Glibc
import SystemKit

enum InfraFilters {
    static func register(into t: inout [String: Filters.Filter]) {
        t["to_json"] = { v, a, interp in
            let b = try a.bind("to_json", ["indent", "sort_keys"], defaults: [Value.none, .bool(false)])
            let indent = try b[0]!.isNone ? nil : Interpreter.intIndex(b[0]!).map(Limits.width)
            return .string(try JSONWriter.encode(v, sortKeys: try interp.truthy(b[1]!), indent: indent, interp))
        }
        t["to_yaml"] = { v, a, interp in
            let b = try a.bind("to_yaml", ["indent"], defaults: [.int(2)])
            return .string(try PyYAMLDumper(indent: Interpreter.intIndex(b[0]!) ?? 2, flowLeaves: true).dump(v))
        }
        t["to_nice_yaml"] = { v, a, interp in
            let b = try a.bind("to_nice_yaml", ["indent"], defaults: [.int(4)])
            return .string(try PyYAMLDumper(indent: Interpreter.intIndex(b[0]!) ?? 4, flowLeaves: false).dump(v))
        }
        t["b64encode"] = { v, _, interp in .string(Data(try interp.str(v).utf8).base64EncodedString()) }
        t["b64decode"] = { v, _, interp in
            var s = try interp.str(v).filter { !$0.isWhitespace }
            while s.count % 4 != 0 { s += "=" }
            guard let data = Data(base64Encoded: s) else { throw EvalError.runtime("Incorrect padding") }
            guard let text = String(data: data, encoding: .utf8) else { throw EvalError.runtime("'utf-8' codec can't decode bytes") }
            return .string(text)
        }
        t["basename"] = { v, _, interp in
            let s = try interp.str(v)
            if let i = s.lastIndex(of: "/") { return .string(String(s[s.index(after: i)...])) }
            return .string(s)
        }
        t["dirname"] = { v, _, interp in
            let s = try interp.str(v)
            guard let i = s.lastIndex(of: "/") else { return .string("") }
            var head = String(s[...i])
            if head != String(repeating: "/", count: head.count) {
                while head.hasSuffix("/") { head.removeLast() }
            }
            return .string(head)
        }
        t["quote"] = { v, _, interp in
            let s = try interp.str(v)
            if s.isEmpty { return .string("''") }
            let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:,./-_".unicodeScalars)
            if s.unicodeScalars.allSatisfy({ safe.contains($0) }) { return .string(s) }
            return .string("'" + s.replacingAll("'", with: "'\"'\"'") + "'")
        }
        t["regex_replace"] = { v, a, interp in
            let b = try a.bind("regex_replace", ["pattern", "replacement", "ignorecase", "multiline", "count"],
                               defaults: [.string(""), .string(""), .bool(false), .bool(false), .int(0)])
            let s = try interp.str(v)
            let regex = try PythonRegex.compile(try interp.str(b[0]!), ignoreCase: try interp.truthy(b[2]!), multiline: try interp.truthy(b[3]!))
            return .string(try PythonRegex.sub(regex, template: try interp.str(b[1]!), in: s, count: Interpreter.intIndex(b[4]!) ?? 0))
        }
        t["regex_search"] = { v, a, interp in
            var positional = a.positional
            guard !positional.isEmpty else { throw EvalError.type("regex_search() missing 1 required positional argument: 'regex'") }
            let pattern = try interp.str(positional.removeFirst())
            var ignoreCase = false, multiline = false
            for (k, x) in a.keywords {
                if k == "ignorecase" { ignoreCase = try interp.truthy(x) } else if k == "multiline" { multiline = try interp.truthy(x) }
            }
            let s = try interp.str(v)
            let regex = try PythonRegex.compile(pattern, ignoreCase: ignoreCase, multiline: multiline)
            guard let m = try? regex.firstMatch(in: s) else { return .none }
            if positional.isEmpty { return .string(PythonRegex.text(s, m.range)) }
            var items: [Value] = []
            for p in positional {
                let spec = try interp.str(p)
                if spec.hasPrefix("\\g<"), spec.hasSuffix(">") {
                    let name = String(spec.dropFirst(3).dropLast())
                    let r = Int(name).map { $0 < m.output.count ? m.output[$0].range : nil } ?? m.output[name]?.range
                    items.append(r.map { .string(PythonRegex.text(s, $0)) } ?? .none)
                } else if spec.hasPrefix("\\"), let n = Int(spec.dropFirst()), n <= m.output.count - 1 {
                    items.append(m.output[n].range.map { .string(PythonRegex.text(s, $0)) } ?? .none)
                } else {
                    throw EvalError.runtime("Unknown argument")
                }
            }
            return .list(items)
        }
    }
}

/// Python `re` patterns and replacement templates on top of Swift's Regex, whose syntax agrees with
/// Python's for the patterns templates use (lookbehind aside: Swift's Regex rejects it, so such a
/// pattern is an invalid regular expression here). Matching is scalar by scalar, as Python's.
enum PythonRegex {
    static func compile(_ pattern: String, ignoreCase: Bool, multiline: Bool) throws -> Regex<AnyRegexOutput> {
        // Python's named groups (?P<name>…) and backreferences (?P=name).
        var p = pattern.replacingAll("(?P<", with: "(?<")
        p = p.replacingAll("\\Z", with: "\\z")
        p = pythonClasses(p, multiline: multiline)
        do {
            var regex = try Regex(p).matchingSemantics(.unicodeScalar).wordBoundaryKind(.simple)
            if ignoreCase { regex = regex.ignoresCase() }
            if multiline { regex = regex.anchorsMatchLineEndings() }
            return regex
        } catch {
            // Python accepts fixed-width lookbehind; Swift's Regex does not: say so rather than "invalid".
            if pattern.contains("(?<=") || pattern.contains("(?<!") {
                throw EvalError.runtime("regular expression \(PythonRepr.string(pattern)) uses lookbehind ((?<=…) or (?<!…)), "
                    + "which talos-batch's regex engine does not support; rewrite it without lookbehind (docs/jinja.md)")
            }
            throw EvalError.runtime("invalid regular expression \(PythonRepr.string(pattern))")
        }
    }

    /// The matched text of a range from a scalar-semantics match.
    static func text(_ s: String, _ range: Range<String.Index>) -> String { String(s.unicodeScalars[range]) }

    /// Python's whitespace (str.isspace) as a character-class body; Swift's \s differs. U+2000–U+200A one
    /// by one: Swift's Regex parser rejects that range ("invalid bound for character class range").
    static let spaceClass = "\\t-\\r\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}\\x{2001}\\x{2002}\\x{2003}\\x{2004}\\x{2005}"
        + "\\x{2006}\\x{2007}\\x{2008}\\x{2009}\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}"
    /// Python's word characters (str.isalnum or _); ICU's \w also takes combining marks.
    static let wordClass = "\\p{L}\\p{N}_"

    /// Rewrites \s \S \w \W to Python's definitions (inside and outside character classes), and `$`
    /// to Python's: the end or before a final newline (any newline with MULTILINE); Swift's `$` is the end only.
    static func pythonClasses(_ pattern: String, multiline: Bool = false) -> String {
        var out = ""
        var inClass = false
        var iterator = pattern.unicodeScalars.makeIterator()
        while let c = iterator.next() {
            if c == "\\" {
                guard let e = iterator.next() else { out += "\\"; break }
                switch (e, inClass) {
                case ("s", false): out += "[" + spaceClass + "]"
                case ("S", false): out += "[^" + spaceClass + "]"
                case ("w", false): out += "[" + wordClass + "]"
                case ("W", false): out += "[^" + wordClass + "]"
                case ("s", true): out += spaceClass
                case ("w", true): out += wordClass
                default: out.unicodeScalars.append(c); out.unicodeScalars.append(e)
                }
                continue
            }
            if c == "[", !inClass {
                inClass = true
                out.unicodeScalars.append(c)
                // A ] right after [ or [^ is a literal.
                var peek = iterator
                let first = peek.next()
                if first == "^" {
                    out += "^"
                    iterator = peek
                    if peek.next() == "]" { out += "]"; iterator = peek }
                } else if first == "]" {
                    out += "]"
                    iterator = peek
                }
                continue
            }
            if c == "]", inClass { inClass = false }
            if c == "$", !inClass { out += multiline ? "(?=\\n|\\z)" : "(?=\\n?\\z)"; continue }
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// `re.sub(pattern, template, s, count)`: \1, \g<1>, \g<name>, \n escapes in the template.
    static func sub(_ regex: Regex<AnyRegexOutput>, template: String, in s: String, count: Int) throws -> String {
        var out = ""
        var last = s.startIndex
        for (i, m) in s.matches(of: regex).enumerated() {
            if count > 0, i >= count { break }
            out += text(s, last..<m.range.lowerBound)
            out += try expand(template, m, s)
            last = m.range.upperBound
        }
        out += text(s, last..<s.endIndex)
        return out
    }

    private static func expand(_ template: String, _ m: Regex<AnyRegexOutput>.Match, _ s: String) throws -> String {
        var out = ""
        let chars = Array(template)
        var i = 0
        func group(_ r: Range<String.Index>?) -> String { r.map { text(s, $0) } ?? "" }
        while i < chars.count {
            let c = chars[i]
            guard c == "\\", i + 1 < chars.count else { out.append(c); i += 1; continue }
            let e = chars[i + 1]
            if e.isNumber, let d = e.wholeNumberValue {
                var n = d
                i += 2
                if i < chars.count, let d2 = chars[i].wholeNumberValue, n * 10 + d2 < m.output.count { n = n * 10 + d2; i += 1 }
                guard n < m.output.count else { throw EvalError.runtime("invalid group reference \(n)") }
                out += group(m.output[n].range)
                continue
            }
            if e == "g", i + 2 < chars.count, chars[i + 2] == "<", let close = chars[(i + 3)...].firstIndex(of: ">") {
                let name = String(chars[(i + 3)..<close])
                if let n = Int(name) {
                    guard n < m.output.count else { throw EvalError.runtime("invalid group reference \(n)") }
                    out += group(m.output[n].range)
                } else {
                    out += group(m.output[name]?.range)
                }
                i = close + 1
                continue
            }
            switch e {
            case "n": out += "\n"
            case "t": out += "\t"
            case "r": out += "\r"
            case "\\": out += "\\"
            default: out.append("\\"); out.append(e)
            }
            i += 2
        }
        return out
    }
}
