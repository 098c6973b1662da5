import Jinja
import YAML

/// Validate's values document (what `CanonicalJSON` writes) read straight into the values a template
/// sees, without libyaml and a YAML tree in between: render reads one per cluster, and parsing it as YAML
/// and converting the tree took about a fifth of the render stage.
///
/// The result must be exactly `Value(yaml: YAML.parseDocument(bytes))` (PyYAML's reading of the same
/// text), so only the narrow form `CanonicalJSON` writes is read here: ASCII; a flow mapping at the top;
/// flow mappings and lists separated by spaces and newlines; keys and strings double-quoted with the
/// writer's escapes, a key followed by `": "`; `null`, `true`, `false` and numbers as plain scalars. Any
/// other byte, a duplicate key or deep nesting returns nil, and the caller reads the bytes as YAML, which
/// gives the same values for whatever else YAML accepts and the same errors for what it refuses (the
/// bytes may come from the cache, which is untrusted).
enum CanonicalJSONValues {
    static func read(_ bytes: [UInt8]) -> Value? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            guard buffer.first == UInt8(ascii: "{"), let value = reader.mapping(depth: 1) else { return nil }
            reader.skipSpace()
            return reader.index == buffer.count ? value : nil
        }
    }

    /// Well below the YAML module's nesting limit, so deeper documents get its error.
    static let maxDepth = 64
    /// libyaml allows a simple (implicit) key of at most 1024 characters; longer keys go the YAML way.
    static let maxKeyBytes = 1000

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        /// Spaces and line feeds between tokens (tabs, carriage returns and comments are left to YAML).
        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\n") { index += 1 }
        }

        mutating func value(depth: Int) -> Value? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return mapping(depth: depth + 1)
            case UInt8(ascii: "["): return list(depth: depth + 1)
            case UInt8(ascii: "\""): return string().map { .string($0) }
            default: return plain()
            }
        }

        /// `{` … `}`, at `{`.
        mutating func mapping(depth: Int) -> Value? {
            guard depth <= CanonicalJSONValues.maxDepth else { return nil }
            index += 1
            var keys: [Value] = []
            var values: [Value] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .dict(DictStorage())
            }
            while true {
                let keyStart = index
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string(),
                      index - keyStart <= CanonicalJSONValues.maxKeyBytes,
                      index + 1 < bytes.count, bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: " ")
                else { return nil }
                index += 2
                guard let item = value(depth: depth) else { return nil }
                keys.append(.string(key))
                values.append(item)
                guard let end = separator(closing: UInt8(ascii: "}")) else { return nil }
                // A repeated key (nil) is an error of the YAML reading.
                if end { return DictStorage(uniqueKeys: keys, values: values).map { .dict($0) } }
            }
        }

        /// `[` … `]`, at `[`.
        mutating func list(depth: Int) -> Value? {
            guard depth <= CanonicalJSONValues.maxDepth else { return nil }
            index += 1
            var items: [Value] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .list(items)
            }
            while true {
                guard let item = value(depth: depth) else { return nil }
                items.append(item)
                guard let end = separator(closing: UInt8(ascii: "]")) else { return nil }
                if end { return .list(items) }
            }
        }

        /// After an item: `,` (false: another item follows) or the closing bracket (true); nil otherwise,
        /// which also leaves a plain scalar YAML would continue on the next line to YAML.
        mutating func separator(closing: UInt8) -> Bool? {
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == closing {
                index += 1
                return true
            }
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
            skipSpace()
            return false
        }

        /// A double-quoted string, at `"`: printable ASCII and the escapes `CanonicalJSON.quote` writes.
        mutating func string() -> String? {
            index += 1
            let start = index
            var escaped = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { break }
                guard byte >= 0x20, byte < 0x7F else { return nil }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    index += 1
                }
                index += 1
            }
            guard index < bytes.count else { return nil }
            let body = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            return escaped ? Self.unescape(body) : String(decoding: body, as: UTF8.self)
        }

        /// `\"`, `\\`, `\n`, `\r`, `\t` and `\uXXXX` (no surrogate), decoded as YAML decodes them.
        static func unescape(_ body: UnsafeBufferPointer<UInt8>) -> String? {
            var text: [UInt8] = []
            text.reserveCapacity(body.count)
            var i = 0
            while i < body.count {
                guard body[i] == UInt8(ascii: "\\") else {
                    text.append(body[i])
                    i += 1
                    continue
                }
                guard i + 1 < body.count else { return nil }
                switch body[i + 1] {
                case UInt8(ascii: "\""): text.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): text.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): text.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "t"): text.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "u"):
                    guard i + 6 <= body.count else { return nil }
                    var code: UInt32 = 0
                    for digit in body[(i + 2)..<(i + 6)] {
                        guard let value = hexValue(digit) else { return nil }
                        code = code << 4 | value
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }  // a surrogate
                    text.append(contentsOf: UTF8.encode(scalar)!)
                    i += 4
                default:
                    return nil
                }
                i += 2
            }
            return String(decoding: text, as: UTF8.self)
        }

        static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }

        /// `null`, `true`, `false` or a number (`-?digits(.digits)?([eE][-+]?digits)?`), typed as PyYAML
        /// types the plain scalar (an int, a float, or, for spellings such as `1e-05`, a string).
        mutating func plain() -> Value? {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
                    || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") { break }
                index += 1
            }
            let token = UnsafeBufferPointer(rebasing: bytes[start..<index])
            if token.elementsEqual("null".utf8) { return Value.none }
            if token.elementsEqual("true".utf8) { return .bool(true) }
            if token.elementsEqual("false".utf8) { return .bool(false) }
            guard Self.isNumber(token) else { return nil }
            return Value(yaml: YAMLNode(.scalar(YAMLScalar(text: String(decoding: token, as: UTF8.self), kind: .string))))
        }

        static func isNumber(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
            var i = 0
            func digits() -> Bool {
                let start = i
                while i < token.count, token[i] >= UInt8(ascii: "0"), token[i] <= UInt8(ascii: "9") { i += 1 }
                return i > start
            }
            if i < token.count, token[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return false }
            if i < token.count, token[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() else { return false }
            }
            if i < token.count, token[i] == UInt8(ascii: "e") || token[i] == UInt8(ascii: "E") {
                i += 1
                if i < token.count, token[i] == UInt8(ascii: "-") || token[i] == UInt8(ascii: "+") { i += 1 }
                guard digits() else { return false }
            }
            return i == token.count
        }
    }
}
