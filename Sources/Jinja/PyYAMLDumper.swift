// A YAML writer that reproduces PyYAML's `yaml.dump(data, Dumper=SafeDumper, allow_unicode=True,
// default_flow_style=False, indent=N)` byte for byte (sorted keys, width 80, its quoting rules), the
// output of Ansible's to_yaml / to_nice_yaml filters.
import FoundationEssentials
import Glibc
import SystemKit

struct PyYAMLDumper {
    let bestIndent: Int
    let bestWidth = 80
    /// Unused by PyYAML ≥ 5.1 defaults (block style everywhere); kept to document the choice.
    let flowLeaves: Bool

    init(indent: Int, flowLeaves: Bool) {
        bestIndent = (indent > 1 && indent < 10) ? indent : 2
        self.flowLeaves = flowLeaves
    }

    private final class State {
        var out = ""
        var column = 0
        var whitespace = true
        var indention = true
        var openEnded = false
        var indent: Int?
        var indents: [Int?] = []
        /// Anchors of the lists, dicts and dates met more than once (PyYAML's `&id001`).
        var anchors: [ObjectIdentifier: String] = [:]
        /// Anchored nodes already written: met again, they are written as `*id001`.
        var written = Set<ObjectIdentifier>()
    }

    /// The identity PyYAML's representer aliases by: lists, dicts and dates (not str, int, …).
    private static func aliasIdentity(_ v: Value) -> ObjectIdentifier? {
        if let id = v.containerIdentity { return id }
        if case .object(let o as PyDateTime) = v { return ObjectIdentifier(o) }
        return nil
    }

    /// Serializer.anchor_node: walks the value in output order and names each object met a second
    /// time, in the order of those second meetings.
    private func assignAnchors(_ v: Value, _ seen: inout Set<ObjectIdentifier>, _ s: State, level: Int) throws {
        try Limits.nesting(level)
        if let id = Self.aliasIdentity(v) {
            if seen.contains(id) {
                if s.anchors[id] == nil {
                    let n = String(s.anchors.count + 1)
                    s.anchors[id] = "id" + String(repeating: "0", count: max(0, 3 - n.count)) + n
                }
                return
            }
            seen.insert(id)
        }
        switch v {
        case .list(let l): for item in l.items { try assignAnchors(item, &seen, s, level: level + 1) }
        case .tuple(let t): for item in t { try assignAnchors(item, &seen, s, level: level + 1) }
        case .dict(let d):
            for (k, val) in try sortedPairs(d) {
                try assignAnchors(k, &seen, s, level: level + 1)
                try assignAnchors(val, &seen, s, level: level + 1)
            }
        default: break
        }
    }

    private func sortedPairs(_ d: DictStorage) throws -> [(Value, Value)] {
        try Filters.stableSort(zip(d.keys, d.values).map { ($0, $1) }) { try Interpreter.pyLess($0.0, $1.0) }
    }

    func dump(_ value: Value) throws -> String {
        let s = State()
        var seen = Set<ObjectIdentifier>()
        try assignAnchors(value, &seen, s, level: 0)
        try node(value, s, root: true, sequence: false, mapping: false, simpleKey: false)
        // Document end, then stream end.
        writeIndent(s)
        if s.openEnded {
            writeIndicator("...", needWhitespace: true, s)
            writeIndent(s)
        }
        return s.out
    }

    // MARK: emitter primitives (as in PyYAML's Emitter)

    private func writeIndent(_ s: State) {
        let indent = s.indent ?? 0
        if !s.indention || s.column > indent || (s.column == indent && !s.whitespace) {
            writeLineBreak(s)
        }
        if s.column < indent {
            s.whitespace = true
            s.out += String(repeating: " ", count: indent - s.column)
            s.column = indent
        }
    }

    private func writeLineBreak(_ s: State, _ data: String = "\n") {
        s.whitespace = true
        s.indention = true
        s.column = 0
        s.out += data
    }

    private func writeIndicator(_ indicator: String, needWhitespace: Bool, whitespace: Bool = false, indention: Bool = false, _ s: State) {
        let data = (s.whitespace || !needWhitespace) ? indicator : " " + indicator
        s.whitespace = whitespace
        s.indention = s.indention && indention
        s.column += data.unicodeScalars.count
        s.openEnded = false
        s.out += data
    }

    private func increaseIndent(_ s: State, flow: Bool = false, indentless: Bool = false) {
        s.indents.append(s.indent)
        if s.indent == nil {
            s.indent = flow ? bestIndent : 0
        } else if !indentless {
            s.indent! += bestIndent
        }
    }

    private func popIndent(_ s: State) { s.indent = s.indents.removeLast() }

    // MARK: nodes

    private func node(_ v: Value, _ s: State, root: Bool, sequence: Bool, mapping: Bool, simpleKey: Bool) throws {
        if let id = Self.aliasIdentity(v), let anchor = s.anchors[id] {
            if s.written.contains(id) {
                writeIndicator("*" + anchor, needWhitespace: true, s)
                return
            }
            s.written.insert(id)
            writeIndicator("&" + anchor, needWhitespace: true, s)
        }
        switch v {
        case .list, .tuple:
            // SafeDumper represents lists and tuples; other iterables are errors, as in PyYAML.
            let items: [Value]
            if case .list(let l) = v { items = l.items } else if case .tuple(let t) = v { items = t } else { items = [] }
            if items.isEmpty || simpleKey {
                try flowSequence(items, s)
                return
            }
            increaseIndent(s, indentless: mapping && !s.indention)
            for item in items {
                writeIndent(s)
                writeIndicator("-", needWhitespace: true, indention: true, s)
                try node(item, s, root: false, sequence: true, mapping: false, simpleKey: false)
            }
            popIndent(s)
        case .dict(let d):
            let pairs = try sortedPairs(d)
            if pairs.isEmpty {
                writeIndicator("{", needWhitespace: true, whitespace: true, s)
                writeIndicator("}", needWhitespace: false, s)
                return
            }
            increaseIndent(s)
            for (k, val) in pairs {
                writeIndent(s)
                if try isSimpleKey(k) {
                    try node(k, s, root: false, sequence: false, mapping: true, simpleKey: true)
                    writeIndicator(":", needWhitespace: false, s)
                } else {
                    // Empty, multi-line or long keys are written as `? key` / `: value`.
                    writeIndicator("?", needWhitespace: true, indention: true, s)
                    try node(k, s, root: false, sequence: false, mapping: true, simpleKey: false)
                    writeIndent(s)
                    writeIndicator(":", needWhitespace: true, indention: true, s)
                }
                try node(val, s, root: false, sequence: false, mapping: true, simpleKey: false)
            }
            popIndent(s)
        default:
            let (text, isString) = try scalarText(v)
            increaseIndent(s, flow: true)
            try scalar(text, isString: isString, s, root: root, simpleKey: simpleKey)
            popIndent(s)
        }
    }

    /// PyYAML's check_simple_key for a mapping key.
    private func isSimpleKey(_ k: Value) throws -> Bool {
        switch k {
        case .list, .tuple, .dict, .object: return false
        default:
            let (text, _) = try scalarText(k)
            let chars = Array(text.unicodeScalars)
            let analysis = YAMLScalarAnalysis(chars)
            // PyYAML counts the prepared tag too ("!!str", "!!int", "!!float", …), implicit or not.
            let tagLength: Int
            switch k {
            case .float: tagLength = 7
            case .bool, .none: tagLength = 6
            default: tagLength = 5
            }
            return chars.count + tagLength < 128 && !analysis.empty && !analysis.multiline
        }
    }

    private func flowSequence(_ items: [Value], _ s: State) throws {
        writeIndicator("[", needWhitespace: true, whitespace: true, s)
        for (i, item) in items.enumerated() {
            if i > 0 { writeIndicator(",", needWhitespace: false, s) }
            try node(item, s, root: false, sequence: true, mapping: false, simpleKey: true)
        }
        writeIndicator("]", needWhitespace: false, s)
    }

    private func scalarText(_ v: Value) throws -> (String, Bool) {
        switch v {
        case .none: return ("null", false)
        case .bool(let b): return (b ? "true" : "false", false)
        case .int(let i): return (String(i), false)
        case .float(let d):
            if d.isNaN { return (".nan", false) }
            if d.isInfinite { return (d < 0 ? "-.inf" : ".inf", false) }
            var t = PythonRepr.float(d).lowercased()
            if !t.contains("."), let e = t.firstIndex(of: "e") { t.replaceSubrange(e...e, with: ".0e") }
            return (t, false)
        case .string(let s): return (s, true)
        case .markup: throw EvalError.runtime("cannot represent an object: \(PythonRepr.repr(v))")
        case .undefined(let u): throw EvalError.undefined(u.message, u.position)
        // represent_date / represent_datetime: isoformat(' '), a plain timestamp.
        case .object(let o as PyDateTime): return (o.isoformat(" "), false)
        case .object(let o as PyBigInt): return (try o.value.checkedDecimal(), false)
        default: throw EvalError.runtime("cannot represent an object: \(PythonRepr.repr(v))")
        }
    }

    private enum Style { case plain, single, double }

    private func scalar(_ text: String, isString: Bool, _ s: State, root: Bool, simpleKey: Bool) throws {
        let chars = Array(text.unicodeScalars)
        let style: Style
        if !isString {
            style = .plain
        } else {
            let a = YAMLScalarAnalysis(chars)
            let implicit = !YAMLResolver.resolvesToNonString(text)
            if implicit, !(simpleKey && (a.empty || a.multiline)), a.allowBlockPlain {
                style = .plain
            } else if a.allowSingleQuoted, !(simpleKey && a.multiline) {
                style = .single
            } else {
                style = .double
            }
        }
        let split = !simpleKey
        switch style {
        case .plain: writePlain(chars, s, split: split, root: root)
        case .single: writeSingleQuoted(chars, s, split: split)
        case .double: writeDoubleQuoted(chars, s, split: split)
        }
    }

    private static let breaks: Set<Unicode.Scalar> = ["\n", "\u{85}", "\u{2028}", "\u{2029}"]

    private func write(_ chars: ArraySlice<Unicode.Scalar>, _ s: State) {
        s.column += chars.count
        s.out.unicodeScalars.append(contentsOf: chars)
    }

    private func writePlain(_ text: [Unicode.Scalar], _ s: State, split: Bool, root: Bool) {
        if root { s.openEnded = true }
        if text.isEmpty { return }
        if !s.whitespace { s.column += 1; s.out += " " }
        s.whitespace = false
        s.indention = false
        var spaces = false, breaks = false
        var start = 0, end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            if spaces {
                if ch != " " {
                    if start + 1 == end, s.column > bestWidth, split {
                        writeIndent(s)
                        s.whitespace = false
                        s.indention = false
                    } else {
                        write(text[start..<end], s)
                    }
                    start = end
                }
            } else if breaks {
                if ch == nil || !Self.breaks.contains(ch!) {
                    if text[start] == "\n" { writeLineBreak(s) }
                    for br in text[start..<end] { writeLineBreak(s, String(br)) }
                    writeIndent(s)
                    s.whitespace = false
                    s.indention = false
                    start = end
                }
            } else if ch == nil || ch == " " || Self.breaks.contains(ch!) {
                write(text[start..<end], s)
                start = end
            }
            if let ch {
                spaces = ch == " "
                breaks = Self.breaks.contains(ch)
            }
            end += 1
        }
    }

    private func writeSingleQuoted(_ text: [Unicode.Scalar], _ s: State, split: Bool) {
        writeIndicator("'", needWhitespace: true, s)
        var spaces = false, breaks = false
        var start = 0, end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            if spaces {
                if ch == nil || ch != " " {
                    if start + 1 == end, s.column > bestWidth, split, start != 0, end != text.count {
                        writeIndent(s)
                    } else {
                        write(text[start..<end], s)
                    }
                    start = end
                }
            } else if breaks {
                if ch == nil || !Self.breaks.contains(ch!) {
                    if text[start] == "\n" { writeLineBreak(s) }
                    for br in text[start..<end] { writeLineBreak(s, String(br)) }
                    writeIndent(s)
                    start = end
                }
            } else if ch == nil || ch == " " || Self.breaks.contains(ch!) || ch == "'" {
                if start < end {
                    write(text[start..<end], s)
                    start = end
                }
            }
            if ch == "'" {
                s.column += 2
                s.out += "''"
                start = end + 1
            }
            if let ch {
                spaces = ch == " "
                breaks = Self.breaks.contains(ch)
            }
            end += 1
        }
        writeIndicator("'", needWhitespace: false, s)
    }

    private static let escapes: [Unicode.Scalar: String] = [
        "\0": "0", "\u{07}": "a", "\u{08}": "b", "\t": "t", "\n": "n", "\u{0B}": "v", "\u{0C}": "f", "\r": "r",
        "\u{1B}": "e", "\"": "\"", "\\": "\\", "\u{85}": "N", "\u{A0}": "_", "\u{2028}": "L", "\u{2029}": "P",
    ]

    private func writeDoubleQuoted(_ text: [Unicode.Scalar], _ s: State, split: Bool) {
        writeIndicator("\"", needWhitespace: true, s)
        var start = 0, end = 0
        while end <= text.count {
            let ch: Unicode.Scalar? = end < text.count ? text[end] : nil
            let printable: Bool = ch.map { c in
                (c.value >= 0x20 && c.value <= 0x7E) || (c.value >= 0xA0 && c.value <= 0xD7FF) || (c.value >= 0xE000 && c.value <= 0xFFFD)
            } ?? false
            if ch == nil || "\"\\\u{85}\u{2028}\u{2029}\u{FEFF}".unicodeScalars.contains(ch!) || !printable {
                if start < end {
                    write(text[start..<end], s)
                    start = end
                }
                if let ch {
                    let data: String
                    if let e = Self.escapes[ch] {
                        data = "\\" + e
                    } else if ch.value <= 0xFF {
                        data = String(cFormat: "\\x%02X", ch.value)
                    } else if ch.value <= 0xFFFF {
                        data = String(cFormat: "\\u%04X", ch.value)
                    } else {
                        data = String(cFormat: "\\U%08X", ch.value)
                    }
                    s.column += data.count
                    s.out += data
                    start = end + 1
                }
            }
            if end > 0, end < text.count - 1, ch == " " || start >= end, s.column + (end - start) > bestWidth, split {
                // Python's text[start:end] is empty when start > end (right after an escape).
                var data = PyString.string(start < end ? text[start..<end] : []) + "\\"
                if start < end { start = end }
                s.column += data.unicodeScalars.count
                s.out += data
                writeIndent(s)
                s.whitespace = false
                s.indention = false
                if text[start] == " " {
                    data = "\\"
                    s.column += 1
                    s.out += data
                }
            }
            end += 1
        }
        writeIndicator("\"", needWhitespace: false, s)
    }
}

/// PyYAML's analyze_scalar: which styles can represent a string.
struct YAMLScalarAnalysis {
    var empty = false
    var multiline = false
    var allowFlowPlain = true
    var allowBlockPlain = true
    var allowSingleQuoted = true
    var allowDoubleQuoted = true

    init(_ s: [Unicode.Scalar]) {
        if s.isEmpty {
            empty = true
            allowFlowPlain = false
            return
        }
        let ws: Set<Unicode.Scalar> = ["\0", " ", "\t", "\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"]
        let lineBreaks: Set<Unicode.Scalar> = ["\n", "\u{85}", "\u{2028}", "\u{2029}"]
        var blockIndicators = false, flowIndicators = false, hasBreaks = false, special = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false
        let text = String(String.UnicodeScalarView(s))
        if text.hasPrefix("---") || text.hasPrefix("...") { blockIndicators = true; flowIndicators = true }
        var precededByWhitespace = true
        var followedByWhitespace = s.count == 1 || ws.contains(s[1])
        var previousSpace = false, previousBreak = false
        for index in 0..<s.count {
            let ch = s[index]
            if index == 0 {
                if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(ch) { flowIndicators = true; blockIndicators = true }
                if ch == "?" || ch == ":" {
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                }
                if ch == "-", followedByWhitespace { flowIndicators = true; blockIndicators = true }
            } else {
                if ",?[]{}".unicodeScalars.contains(ch) { flowIndicators = true }
                if ch == ":" {
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                }
                if ch == "#", precededByWhitespace { flowIndicators = true; blockIndicators = true }
            }
            if lineBreaks.contains(ch) { hasBreaks = true }
            if !(ch == "\n" || (ch.value >= 0x20 && ch.value <= 0x7E)) {
                let v = ch.value
                let unicodeOK = (v == 0x85 || (v >= 0xA0 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v < 0x10FFFF)) && v != 0xFEFF
                if !unicodeOK { special = true }
            }
            if ch == " " {
                if index == 0 { leadingSpace = true }
                if index == s.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if lineBreaks.contains(ch) {
                if index == 0 { leadingBreak = true }
                if index == s.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = ws.contains(ch)
            followedByWhitespace = index + 2 >= s.count || ws.contains(s[index + 2])
        }
        multiline = hasBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak { allowFlowPlain = false; allowBlockPlain = false }
        if breakSpace { allowFlowPlain = false; allowBlockPlain = false; allowSingleQuoted = false }
        if spaceBreak || special { allowFlowPlain = false; allowBlockPlain = false; allowSingleQuoted = false }
        if hasBreaks { allowFlowPlain = false; allowBlockPlain = false }
        if flowIndicators { allowFlowPlain = false }
        if blockIndicators { allowBlockPlain = false }
    }
}

/// PyYAML's implicit resolvers: would this text, written plain, read back as something other than a str?
enum YAMLResolver {
    // nonisolated(unsafe): a Regex is an immutable value, only not marked Sendable.
    nonisolated(unsafe) private static let patterns: [(Set<Character>, Regex<AnyRegexOutput>)] = {
        // try! on the constant patterns below: they compile or every dumper test fails; no input reaches them.
        // Python's `$` also matches before a final newline; scalar by scalar as Python's re.
        func re(_ p: String) -> Regex<AnyRegexOutput> { try! Regex("^(?:" + p + ")(?=\\n?\\z)").matchingSemantics(.unicodeScalar) }
        return [
            (Set("yYnNtTfFoO"), re("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF")),
            (Set("-+0123456789."), re("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)")),
            (Set("-+0123456789"), re("[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+")),
            (Set("<"), re("<<")),
            (Set("~nN"), re("~|null|Null|NULL")),
            (Set("0123456789"), re("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?")),
            (Set("="), re("=")),
        ]
    }()

    enum Kind { case bool, int, float, null, string }

    /// What PyYAML's resolver makes of a plain scalar (timestamps and merge/value keys count as strings).
    static func pyyamlKind(_ text: String) -> Kind {
        if text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        if let kind = plainASCIIKind(text) { return kind }
        return patternKind(text)
    }

    /// `pyyamlKind` by PyYAML's resolver patterns alone.
    static func patternKind(_ text: String) -> Kind {
        if text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        guard let first = text.first else { return .null }
        let kinds: [Kind] = [.bool, .float, .int]
        for (kind, (firsts, regex)) in zip(kinds, patterns.prefix(3)) where firsts.contains(first) {
            if (try? regex.firstMatch(in: text)) != nil { return kind }
        }
        return .string
    }

    /// The words the bool pattern matches (it is a list of literal alternatives).
    private static let boolWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// `pyyamlKind` without the regular expressions for the commonest plain scalars (every template value
    /// converted from YAML asks): text of ASCII letters only is a bool exactly when it is one of the bool
    /// words and null when it is a null word (no number pattern starts with a letter); text of ASCII digits only matches neither the bool
    /// nor a float pattern (each needs `.` or `:`) and is an int when it is `0`, starts with 1-9, or is `0`
    /// followed by octal digits. nil for anything else (the patterns decide).
    static func plainASCIIKind(_ text: String) -> Kind? {
        var letters = true, digits = true, octalTail = true
        for (index, byte) in text.utf8.enumerated() {
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            letters = letters && isLetter
            digits = digits && isDigit
            if index > 0 && byte > UInt8(ascii: "7") { octalTail = false }
            if !letters && !digits { return nil }
        }
        if letters { return boolWords.contains(text) ? .bool : text == "null" || text == "Null" || text == "NULL" ? .null : .string }
        let utf8 = text.utf8
        if utf8.count == 1 || utf8.first != UInt8(ascii: "0") || octalTail { return .int }
        return .string
    }

    static func resolvesToNonString(_ text: String) -> Bool {
        guard let first = text.first else { return true }
        // Python's `$` also matches before a final newline.
        var candidate = text
        if candidate.hasSuffix("\n") { candidate.removeLast() }
        for (firsts, regex) in patterns where firsts.contains(first) {
            if (try? regex.firstMatch(in: candidate)) != nil { return true }
        }
        return false
    }
}
