// JSON in and out with Python's json module's behaviour (int vs float kept, key order kept).

/// `json.dumps` (default separators, ensure_ascii) for the tojson/to_json filters.
enum JSONWriter {
    /// `htmlSafe`: also escape < > & ' as \u00XX (Jinja2's tojson).
    static func encode(_ v: Value, sortKeys: Bool, indent: Int?, htmlSafe: Bool = false, _ interp: Interpreter?) throws -> String {
        var out = ""
        var active = Set<ObjectIdentifier>()
        try write(v, into: &out, sortKeys: sortKeys, indent: indent, level: 0, htmlSafe: htmlSafe, active: &active)
        return out
    }

    static func string(_ s: String, htmlSafe: Bool = false) -> String {
        // Fast path: printable ASCII with nothing to escape is copied as is.
        let plain = s.utf8.allSatisfy { b in
            b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C && !(htmlSafe && (b == 0x3C || b == 0x3E || b == 0x26 || b == 0x27))
        }
        if plain { return "\"" + s + "\"" }
        var out = "\""
        for u in s.utf16 {
            switch u {
            case 0x3C where htmlSafe: out += "\\u003c"
            case 0x3E where htmlSafe: out += "\\u003e"
            case 0x26 where htmlSafe: out += "\\u0026"
            case 0x27 where htmlSafe: out += "\\u0027"
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(u)!)
            default:
                let h = String(u, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            }
        }
        return out + "\""
    }

    private static func keyString(_ k: Value) throws -> String {
        switch k {
        case .string(let s), .markup(let s): return s
        case .int(let i): return String(i)
        case .float(let d): return floatText(d)
        case .bool(let b): return b ? "true" : "false"
        case .none: return "null"
        default: throw EvalError.type("keys must be str, int, float, bool or None, not \(k.typeName)")
        }
    }

    private static func floatText(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return PythonRepr.float(d)
    }

    private static func write(_ v: Value, into out: inout String, sortKeys: Bool, indent: Int?, level: Int, htmlSafe: Bool, active: inout Set<ObjectIdentifier>) throws {
        // json.dumps keeps the containers being written and refuses to enter one of them again.
        try Limits.nesting(level)
        if let id = v.containerIdentity {
            if active.contains(id) { throw EvalError.runtime("Circular reference detected") }
            active.insert(id)
        }
        defer { if let id = v.containerIdentity { active.remove(id) } }
        switch v {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d): out += floatText(d)
        case .string(let s), .markup(let s): out += string(s, htmlSafe: htmlSafe)
        case .object(let o as PyBigInt): out += try o.value.checkedDecimal()
        case .list, .tuple, .object:
            let items: [Value]
            switch v {
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            case .object(let o):
                guard o is GroupTuple, let it = o.iterate() else {
                    throw EvalError.type("Object of type \(v.typeName) is not JSON serializable")
                }
                items = it
            default: items = []
            }
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: " ", count: max(0, indent) * (level + 1)) }
                try write(item, into: &out, sortKeys: sortKeys, indent: indent, level: level + 1, htmlSafe: htmlSafe, active: &active)
            }
            if let indent { out += "\n" + String(repeating: " ", count: max(0, indent) * level) }
            out += "]"
        case .dict(let d):
            if d.count == 0 { out += "{}"; return }
            var pairs = zip(d.keys, d.values).map { ($0, $1) }
            if sortKeys {
                pairs = try Filters.stableSort(pairs) { try Interpreter.pyLess($0.0, $1.0) }
            }
            out += "{"
            for (i, (k, val)) in pairs.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                if let indent { out += "\n" + String(repeating: " ", count: max(0, indent) * (level + 1)) }
                out += string(try keyString(k), htmlSafe: htmlSafe) + ": "
                try write(val, into: &out, sortKeys: sortKeys, indent: indent, level: level + 1, htmlSafe: htmlSafe, active: &active)
            }
            if let indent { out += "\n" + String(repeating: " ", count: max(0, indent) * level) }
            out += "}"
        case .undefined:
            throw EvalError.type("Object of type Undefined is not JSON serializable")
        }
    }
}

/// Parses JSON into Values the way Python's json.loads does (1 is int, 1.0 is float, order kept).
public enum JSONReader {
    public static func parse(_ text: String, file: String = "<json>") throws -> Value {
        var p = Parser(bytes: Array(text.utf8), file: file)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i < p.bytes.count { throw p.error("extra data after the JSON value") }
        return v
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        var i = 0

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        func error(_ message: String) -> TemplateError {
            let p = SourceText(bytes).position(of: i)
            return TemplateError(.syntax, message, template: file, position: p)
        }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String, _ v: Value) throws -> Value {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw error("invalid JSON value") }
            i += w.count
            return v
        }

        mutating func value(depth: Int) throws -> Value {
            guard depth < 500 else { throw error("JSON nested too deeply") }
            guard i < bytes.count else { throw error("unexpected end of JSON") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                let d = DictStorage()
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .dict(d) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let k = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    i += 1
                    skipSpace()
                    d[string: k] = try value(depth: depth + 1)
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end of JSON") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .dict(d) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [Value] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw error("unexpected end of JSON") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .none)
            case UInt8(ascii: "N"): return try literal("NaN", .float(.nan))
            case UInt8(ascii: "I"): return try literal("Infinity", .float(.infinity))
            default:
                let start = i
                if bytes[i] == UInt8(ascii: "-") {
                    i += 1
                    if i < bytes.count, bytes[i] == UInt8(ascii: "I") { return try { _ = try literal("Infinity", .none); return .float(-.infinity) }() }
                }
                var isFloat = false
                while i < bytes.count, (bytes[i] >= 0x30 && bytes[i] <= 0x39) || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(bytes[i]) {
                    if !(bytes[i] >= 0x30 && bytes[i] <= 0x39) { isFloat = true }
                    i += 1
                }
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                if text.isEmpty || text == "-" { throw error("invalid JSON value") }
                if !isFloat, let n = Int(text) { return .int(n) }
                guard let d = Double(text) else { throw error("invalid number \(text)") }
                return .float(d)
            }
        }

        mutating func string() throws -> String {
            i += 1
            var out = [UInt8]()
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
                if b == UInt8(ascii: "\\") {
                    i += 1
                    guard i < bytes.count else { break }
                    let e = bytes[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if code >= 0xD800, code < 0xDC00, i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                            i += 2
                            let low = try hex4()
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        out += Array(String(UnicodeScalar(code) ?? "\u{FFFD}").utf8)
                    default: out.append(e)
                    }
                    continue
                }
                out.append(b)
                i += 1
            }
            throw error("unterminated string")
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
                throw error("invalid \\u escape")
            }
            i += 4
            return v
        }
    }
}
