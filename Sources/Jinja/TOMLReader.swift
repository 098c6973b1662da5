// jinja2-cli's `--format toml` reader (Python's tomllib, TOML 1.0) into Values, so a template renders
// the same bytes with `talos-batch render` as with `jinja2`.
import FoundationEssentials
import Glibc
import SystemKit

/// Parses TOML 1.0 as Python's `tomllib.loads` does: tables, arrays of tables, dotted and quoted keys,
/// inline tables, the four string forms, integers (with `_`, hex, octal, binary), floats (inf, nan), booleans,
/// offset and local date-times and local dates (printed as Python prints them). A local time (`07:32:00`)
/// is an error saying it is not supported; every other error names its line and column.
public enum TOMLReader {
    public static func parse(_ text: String, file: String) throws -> Value {
        var parser = TOMLParser(bytes: Array(text.utf8), file: file)
        return .dict(try parser.document())
    }
}

private struct TOMLParser {
    let bytes: [UInt8]
    let file: String
    var i = 0
    let root = DictStorage()
    /// Tables fixed by a header, an inline table or a value: they cannot be defined again.
    var sealed = Set<ObjectIdentifier>()
    /// Tables made by a `[header]` (a second header for them is an error, and dotted keys cannot add to them).
    var headed = Set<ObjectIdentifier>()
    /// Tables made by dotted keys (a header cannot declare them again).
    var dotted = Set<ObjectIdentifier>()

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    func fail(_ message: String, at offset: Int? = nil) -> TemplateError {
        TemplateError(.syntax, message, template: file, position: SourceText(bytes).position(of: min(offset ?? i, bytes.count)))
    }

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }
    func at(_ text: String) -> Bool {
        let t = Array(text.utf8)
        return i + t.count <= bytes.count && Array(bytes[i..<(i + t.count)]) == t
    }

    mutating func skipBlank() { while let c = peek, c == 0x20 || c == 0x09 { i += 1 } }
    mutating func skipComment() {
        guard peek == UInt8(ascii: "#") else { return }
        while let c = peek, c != 0x0A { i += 1 }
    }
    /// Whitespace, newlines and comments (inside arrays).
    mutating func skipAll() {
        while let c = peek {
            if c == 0x20 || c == 0x09 || c == 0x0A { i += 1 } else if c == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 2 } else if c == UInt8(ascii: "#") { skipComment() } else { break }
        }
    }
    mutating func endOfLine() throws {
        skipBlank()
        skipComment()
        if peek == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 2; return }
        guard let c = peek else { return }
        guard c == 0x0A else { throw fail("expected the end of the line after a value") }
        i += 1
    }

    mutating func document() throws -> DictStorage {
        var current = root
        while true {
            skipAll()
            guard let c = peek else { break }
            if c == UInt8(ascii: "[") {
                let start = i
                let isArray = at("[[")
                i += isArray ? 2 : 1
                skipBlank()
                let keys = try key()
                skipBlank()
                guard at(isArray ? "]]" : "]") else { throw fail("expected '\(isArray ? "]]" : "]")' closing the table header") }
                i += isArray ? 2 : 1
                try endOfLine()
                current = isArray ? try arrayTable(keys, start) : try table(keys, start)
            } else {
                try keyValue(into: current)
                try endOfLine()
            }
        }
        return root
    }

    mutating func table(_ keys: [String], _ start: Int) throws -> DictStorage {
        var d = root
        for (n, k) in keys.enumerated() {
            switch d[string: k] {
            case nil:
                let t = DictStorage()
                d[string: k] = .dict(t)
                d = t
            case .some(.dict(let t)):
                if n == keys.count - 1, headed.contains(ObjectIdentifier(t)) || sealed.contains(ObjectIdentifier(t))
                    || dotted.contains(ObjectIdentifier(t)) {
                    throw fail("table '\(keys.joined(separator: "."))' is defined twice", at: start)
                }
                if sealed.contains(ObjectIdentifier(t)) { throw fail("cannot add to the inline table '\(k)'", at: start) }
                d = t
            case .some(.list(let l)) where n < keys.count - 1:
                guard case .dict(let t)? = l.items.last else { throw fail("'\(k)' is not a table", at: start) }
                d = t
            default: throw fail("'\(k)' is already a value, not a table", at: start)
            }
        }
        headed.insert(ObjectIdentifier(d))
        return d
    }

    mutating func arrayTable(_ keys: [String], _ start: Int) throws -> DictStorage {
        let parent = try table(Array(keys.dropLast()), start, creating: true)
        let name = keys[keys.count - 1]
        let t = DictStorage()
        switch parent[string: name] {
        case nil: parent[string: name] = .list([.dict(t)])
        case .some(.list(let l)) where !sealed.contains(ObjectIdentifier(l)): l.items.append(.dict(t))
        default: throw fail("'\(name)' is already a value, not an array of tables", at: start)
        }
        return t
    }

    /// The parent of an array-of-tables header: walks (and makes) tables without marking them headed.
    mutating func table(_ keys: [String], _ start: Int, creating: Bool) throws -> DictStorage {
        var d = root
        for k in keys {
            switch d[string: k] {
            case nil:
                let t = DictStorage()
                d[string: k] = .dict(t)
                d = t
            case .some(.dict(let t)) where !sealed.contains(ObjectIdentifier(t)): d = t
            case .some(.list(let l)):
                guard case .dict(let t)? = l.items.last else { throw fail("'\(k)' is not a table", at: start) }
                d = t
            default: throw fail("'\(k)' is already a value, not a table", at: start)
            }
        }
        return d
    }

    mutating func keyValue(into table: DictStorage) throws {
        let start = i
        let keys = try key()
        skipBlank()
        guard peek == UInt8(ascii: "=") else { throw fail("expected '=' after the key") }
        i += 1
        skipBlank()
        let v = try value()
        var d = table
        for k in keys.dropLast() {
            switch d[string: k] {
            case nil:
                let t = DictStorage()
                d[string: k] = .dict(t)
                dotted.insert(ObjectIdentifier(t))
                d = t
            case .some(.dict(let t)) where headed.contains(ObjectIdentifier(t)):
                throw fail("cannot add to table '\(k)' with a dotted key: a [header] defines it", at: start)
            case .some(.dict(let t)) where !sealed.contains(ObjectIdentifier(t)):
                d = t
            default: throw fail("'\(k)' is already a value, not a table", at: start)
            }
        }
        let last = keys[keys.count - 1]
        guard d[string: last] == nil else { throw fail("key '\(keys.joined(separator: "."))' is defined twice", at: start) }
        d[string: last] = v
    }

    mutating func key() throws -> [String] {
        var keys: [String] = []
        while true {
            skipBlank()
            guard let c = peek else { throw fail("expected a key") }
            if c == UInt8(ascii: "\"") {
                keys.append(try basicString())
            } else if c == UInt8(ascii: "'") {
                keys.append(try literalString())
            } else {
                let start = i
                while let b = peek, (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x5F || b == 0x2D { i += 1 }
                guard i > start else { throw fail("expected a key") }
                keys.append(String(decoding: bytes[start..<i], as: UTF8.self))
            }
            skipBlank()
            guard peek == UInt8(ascii: ".") else { return keys }
            i += 1
        }
    }

    mutating func value(depth: Int = 0) throws -> Value {
        guard depth < 200 else { throw fail("TOML nested too deeply") }
        guard let c = peek else { throw fail("expected a value") }
        switch c {
        case UInt8(ascii: "\""):
            if at("\"\"\"") { return .string(try multilineBasicString()) }
            return .string(try basicString())
        case UInt8(ascii: "'"):
            if at("'''") { return .string(try multilineLiteralString()) }
            return .string(try literalString())
        case UInt8(ascii: "["):
            i += 1
            var items: [Value] = []
            while true {
                skipAll()
                if peek == UInt8(ascii: "]") { i += 1; break }
                items.append(try value(depth: depth + 1))
                skipAll()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                guard peek == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in the array") }
                i += 1
                break
            }
            let list = ListStorage(items)
            sealed.insert(ObjectIdentifier(list))
            return .list(list)
        case UInt8(ascii: "{"):
            i += 1
            let d = DictStorage()
            skipBlank()
            if peek == UInt8(ascii: "}") { i += 1 } else {
                while true {
                    skipBlank()
                    try keyValue(into: d)
                    skipBlank()
                    if peek == UInt8(ascii: ",") { i += 1; continue }
                    guard peek == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in the inline table") }
                    i += 1
                    break
                }
            }
            seal(d)
            return .dict(d)
        case UInt8(ascii: "t") where at("true"): i += 4; return .bool(true)
        case UInt8(ascii: "f") where at("false"): i += 5; return .bool(false)
        default: return try scalar()
        }
    }

    /// An inline table and every table inside it are closed to later headers and dotted keys.
    mutating func seal(_ d: DictStorage) {
        sealed.insert(ObjectIdentifier(d))
        for v in d.values { if case .dict(let inner) = v { seal(inner) } }
    }

    mutating func scalar() throws -> Value {
        let start = i
        // A date-time may hold one space between date and time.
        while let c = peek, !(c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ",") || c == UInt8(ascii: "]")
                                || c == UInt8(ascii: "}") || c == UInt8(ascii: "#")) { i += 1 }
        if i - start == 10, peek == 0x20, i + 1 < bytes.count, (0x30...0x39).contains(bytes[i + 1]) {
            i += 1
            while let c = peek, !(c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ",") || c == UInt8(ascii: "]")
                                    || c == UInt8(ascii: "}") || c == UInt8(ascii: "#")) { i += 1 }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if let v = number(text) { return v }
        if let v = try dateTime(text, start) { return v }
        throw fail("invalid value '\(text)'", at: start)
    }

    func number(_ text: String) -> Value? {
        switch text {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        let digitsOK: (String) -> Bool = { s in
            // Underscores only between digits.
            !s.isEmpty && !s.hasPrefix("_") && !s.hasSuffix("_") && !s.contains("__")
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            let body = String(text.dropFirst(2))
            guard digitsOK(body), let v = Int(body.replacingAll("_", with: ""), radix: radix) else { return nil }
            return .int(v)
        }
        var unsigned = Substring(text)
        if unsigned.hasPrefix("+") || unsigned.hasPrefix("-") { unsigned = unsigned.dropFirst() }
        guard let first = unsigned.first, first.isASCII, first.isNumber else { return nil }
        if unsigned.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) {
            guard digitsOK(String(unsigned)), !(unsigned.count > 1 && unsigned.hasPrefix("0")) else { return nil }
            return Int(text.replacingAll("_", with: "")).map { .int($0) }
        }
        // A float: integer part, then a fraction and/or an exponent.
        let pattern = #"^[+-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?$"#
        guard (try? Regex(pattern).wholeMatch(in: text)) != nil, text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return nil }
        return Double(text.replacingAll("_", with: "")).map { .float($0) }
    }

    func dateTime(_ text: String, _ start: Int) throws -> Value? {
        let pattern = #"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|z|[+-][0-9]{2}:[0-9]{2})?)?$"#
        if (try? Regex(#"^[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$"#).wholeMatch(in: text)) != nil {
            throw fail("TOML local times ('\(text)') are not supported", at: start)
        }
        guard let m = try? Regex(pattern).matchingSemantics(.unicodeScalar).wholeMatch(in: text) else { return nil }
        func group(_ n: Int) -> String? { m.output[n].range.map { String(text.unicodeScalars[$0]) } }
        let (y, mo, d) = (Int(group(1)!)!, Int(group(2)!)!, Int(group(3)!)!)
        var time: PyDateTime.Time?
        if let h = group(4).flatMap(Int.init), let mi = group(5).flatMap(Int.init), let s = group(6).flatMap(Int.init) {
            guard h < 24, mi < 60, s < 60 else { throw fail("invalid time in '\(text)'", at: start) }
            var micro = 0
            if let fraction = group(7) {
                // tomllib keeps the first six digits (microseconds), dropping the rest.
                let digits = String(fraction.prefix(6))
                micro = Int(digits + String(repeating: "0", count: 6 - digits.count))!
            }
            var offset: Int?
            if let tz = group(8) {
                if tz == "Z" || tz == "z" { offset = 0 } else {
                    let sign = tz.hasPrefix("-") ? -1 : 1
                    let parts = tz.dropFirst().split(separator: ":").map { Int($0)! }
                    guard parts[0] < 24, parts[1] < 60 else { throw fail("invalid time offset in '\(text)'", at: start) }
                    offset = sign * (parts[0] * 3600 + parts[1] * 60)
                }
            }
            time = PyDateTime.Time(hour: h, minute: mi, second: s, microsecond: micro, offset: offset)
        }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(mo), d >= 1, d <= days[mo - 1], y >= 1 else { throw fail("invalid date in '\(text)'", at: start) }
        return .object(PyDateTime(year: y, month: mo, day: d, time: time))
    }

    mutating func literalString() throws -> String {
        i += 1
        let start = i
        while let c = peek, c != UInt8(ascii: "'") {
            guard c != 0x0A else { throw fail("a literal string ends at the end of its line") }
            i += 1
        }
        guard peek != nil else { throw fail("unterminated string") }
        defer { i += 1 }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func multilineLiteralString() throws -> String {
        i += 3
        if peek == 0x0A { i += 1 } else if at("\r\n") { i += 2 }
        let start = i
        while i < bytes.count, !at("'''") { i += 1 }
        guard i < bytes.count else { throw fail("unterminated multi-line string") }
        // Up to two quotes may close the content right before the delimiter.
        var end = i
        i += 3
        while peek == UInt8(ascii: "'"), i - end < 5 { i += 1; end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self).replacingAll("\r\n", with: "\n")
    }

    mutating func basicString() throws -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw fail("unterminated string") }
            guard c != 0x0A else { throw fail("a basic string ends at the end of its line") }
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c == UInt8(ascii: "\\") { try escape(into: &out) } else { out.append(c); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func multilineBasicString() throws -> String {
        i += 3
        if peek == 0x0A { i += 1 } else if at("\r\n") { i += 2 }
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("unterminated multi-line string") }
            if at("\"\"\"") {
                i += 3
                var extra = 0
                while peek == UInt8(ascii: "\""), extra < 2 { out.append(UInt8(ascii: "\"")); i += 1; extra += 1 }
                break
            }
            let c = bytes[i]
            if c == UInt8(ascii: "\\") {
                // A backslash ending a line removes the newline and the whitespace after it.
                var j = i + 1
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j < bytes.count, bytes[j] == 0x0A || bytes[j] == 0x0D {
                    i = j
                    while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1 }
                    continue
                }
                try escape(into: &out)
            } else if c == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                out.append(0x0A)
                i += 2
            } else {
                out.append(c)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func escape(into out: inout [UInt8]) throws {
        let start = i
        i += 1
        guard let e = peek else { throw fail("unterminated string") }
        i += 1
        switch e {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = e == UInt8(ascii: "u") ? 4 : 8
            guard i + count <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + count)], as: UTF8.self), radix: 16),
                  let scalar = Unicode.Scalar(v) else { throw fail("invalid unicode escape", at: start) }
            i += count
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: throw fail("invalid escape sequence", at: start)
        }
    }
}
