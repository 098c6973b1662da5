import Diagnostics

/// Reads a JSON object into a SOPS tree as sops 3.11's JSON store does: key order kept, every number a
/// float64 (sops 3.11 decodes JSON numbers with Go's default), the top level an object.
struct SOPSJSONReader {
    private let bytes: [UInt8]
    private let file: String
    private var position = 0
    /// Bounds recursion on hostile input.
    private var depth = 0

    static func read(_ bytes: [UInt8], file: String) throws -> [SOPSBranchItem] {
        var reader = SOPSJSONReader(bytes: bytes, file: file)
        reader.skipSpace()
        guard reader.peek == UInt8(ascii: "{") else {
            throw reader.error("SOPS only supports JSON files with a top-level object (starting with '{')")
        }
        guard case .branch(let items) = try reader.value() else { throw reader.error("expected an object") }
        reader.skipSpace()
        guard reader.position == bytes.count else { throw reader.error("unexpected text after the top-level object") }
        return items
    }

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// An error at the current byte, with its 1-based line and column.
    private func error(_ message: String) -> Diagnostic {
        var line = 1, column = 1
        for byte in bytes[..<min(position, bytes.count)] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return Diagnostic.error("invalid JSON: \(message)", at: SourceLocation(file: file, line: line, column: column))
    }

    private mutating func skipSpace() {
        while let byte = peek, byte == 32 || byte == 9 || byte == 10 || byte == 13 { position += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        let expected = Array(literal.utf8)
        guard bytes.count - position >= expected.count, bytes[position..<(position + expected.count)].elementsEqual(expected) else {
            throw error("unexpected character")
        }
        position += expected.count
    }

    private mutating func value() throws -> SOPSValue {
        skipSpace()
        guard let byte = peek else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"):
            depth += 1
            defer { depth -= 1 }
            guard depth < 1000 else { throw error("nesting too deep") }
            position += 1
            var items: [SOPSBranchItem] = []
            skipSpace()
            if peek == UInt8(ascii: "}") { position += 1; return .branch(items) }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\"") else { throw error("expected an object key") }
                let key = try string()
                skipSpace()
                guard peek == UInt8(ascii: ":") else { throw error("expected ':' after an object key") }
                position += 1
                items.append(.pair(SOPSPair(key: key, value: try value(), location: nil)))
                skipSpace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                if peek == UInt8(ascii: "}") { position += 1; return .branch(items) }
                throw error("expected ',' or '}' in an object")
            }
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            guard depth < 1000 else { throw error("nesting too deep") }
            position += 1
            var items: [SOPSListItem] = []
            skipSpace()
            if peek == UInt8(ascii: "]") { position += 1; return .list(items) }
            while true {
                items.append(.value(try value(), nil))
                skipSpace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                if peek == UInt8(ascii: "]") { position += 1; return .list(items) }
                throw error("expected ',' or ']' in an array")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return .float(try number())
        }
    }

    /// JSON's number grammar, read as Go's strconv.ParseFloat reads it.
    private mutating func number() throws -> Double {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        func digits() -> Int {
            let from = position
            while let byte = peek, byte >= 48, byte <= 57 { position += 1 }
            return position - from
        }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0, !(integerDigits > 1 && bytes[integerStart] == 48) else { throw error("invalid number") }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw error("invalid number") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error("invalid number") }
        }
        guard let number = Double(String(decoding: bytes[start..<position], as: UTF8.self)), number.isFinite else {
            throw error("number out of range")
        }
        return number
    }

    private mutating func string() throws -> String {
        position += 1   // the opening quote
        var out: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("unterminated string") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                // Go replaces invalid UTF-8 with U+FFFD, as String(decoding:) does.
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = peek else { throw error("unterminated string") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), bytes.count - position >= 6,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        let save = position
                        position += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                        }
                    }
                    let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out += Array(String(Character(character)).utf8)
                default: throw error("invalid escape in a string")
                }
            case 0..<32: throw error("control character in a string")
            default: out.append(byte)
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard bytes.count - position >= 4, let value = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16)
        else { throw error("invalid \\u escape") }
        position += 4
        return value
    }
}
