// jinja2-cli's `--format env` reader: KEY=VALUE lines into a dict of strings, quirks included, so a
// template renders the same bytes with `talos-batch render` as with `jinja2`.

/// Reads an env file as jinja2-cli 1.0 does: lines are split as Python's `str.splitlines`, leading
/// whitespace dropped, empty and `#` lines skipped; the key is everything before the first `=` (kept as
/// written, spaces included), the value everything after. A value wrapped in matching quotes loses them,
/// and a double-quoted one is decoded as Python's `unicode-escape` codec decodes its UTF-8 bytes.
public enum DotenvReader {
    public static func parse(_ text: String, file: String) throws -> Value {
        let d = DictStorage()
        for (number, rawLine) in PythonLines.split(text).enumerated() {
            let line = String(rawLine.drop(while: \.isWhitespace))
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw TemplateError(.syntax, "expected KEY=VALUE (no '=' in this line)", template: file,
                                    position: Position(line: number + 1, column: 1))
            }
            let key = String(line[..<equals])
            var value = String(line[line.index(after: equals)...])
            if let quote = value.first, quote == "\"" || quote == "'", value.count > 1, value.last == quote {
                value = String(value.dropFirst().dropLast())
                if quote == "\"" {
                    do { value = try PythonUnicodeEscape.decode(Array(value.utf8)) } catch let message as PythonUnicodeEscape.Failure {
                        throw TemplateError(.syntax, "cannot decode the quoted value: \(message.text)", template: file,
                                            position: Position(line: number + 1, column: 1))
                    }
                }
            }
            d[string: key] = .string(value)
        }
        return .dict(d)
    }
}

/// Python's `str.splitlines()`: every line boundary Python knows, `\r\n` as one.
enum PythonLines {
    static func split(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let c = scalars[i]
            switch c.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(Substring(scalars[start..<i]))
                var next = scalars.index(after: i)
                if c.value == 0x0D, next < scalars.endIndex, scalars[next].value == 0x0A { next = scalars.index(after: next) }
                i = next
                start = next
            default:
                i = scalars.index(after: i)
            }
        }
        if start < scalars.endIndex { lines.append(Substring(scalars[start...])) }
        return lines
    }
}

/// Python's `bytes.decode("unicode-escape")`: backslash escapes decoded, every other byte taken as Latin-1
/// (so non-ASCII UTF-8 comes out as mojibake, exactly as jinja2-cli's env reader produces it).
enum PythonUnicodeEscape {
    struct Failure: Error { let text: String }

    static func decode(_ bytes: [UInt8]) throws -> String {
        var out = String.UnicodeScalarView()
        var i = 0
        func hex(_ count: Int, _ name: String) throws -> UInt32 {
            guard i + count <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + count)], as: UTF8.self), radix: 16),
                  bytes[i..<(i + count)].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else {
                throw Failure(text: "truncated \(name) escape")
            }
            i += count
            return v
        }
        func append(_ value: UInt32) throws {
            guard let scalar = Unicode.Scalar(value) else { throw Failure(text: "illegal Unicode character") }
            out.append(scalar)
        }
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            guard b == UInt8(ascii: "\\") else { out.append(Unicode.Scalar(b)); continue }
            guard i < bytes.count else { throw Failure(text: "\\ at end of string") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\n"): break
            case UInt8(ascii: "\\"): out.append("\\")
            case UInt8(ascii: "'"): out.append("'")
            case UInt8(ascii: "\""): out.append("\"")
            case UInt8(ascii: "a"): out.append("\u{07}")
            case UInt8(ascii: "b"): out.append("\u{08}")
            case UInt8(ascii: "f"): out.append("\u{0C}")
            case UInt8(ascii: "n"): out.append("\n")
            case UInt8(ascii: "r"): out.append("\r")
            case UInt8(ascii: "t"): out.append("\t")
            case UInt8(ascii: "v"): out.append("\u{0B}")
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(e - 0x30)
                var digits = 1
                while digits < 3, i < bytes.count, (0x30...0x37).contains(bytes[i]) {
                    value = value * 8 + UInt32(bytes[i] - 0x30)
                    i += 1
                    digits += 1
                }
                try append(value)
            case UInt8(ascii: "x"): try append(try hex(2, "\\xXX"))
            case UInt8(ascii: "u"): try append(try hex(4, "\\uXXXX"))
            case UInt8(ascii: "U"):
                let value = try hex(8, "\\UXXXXXXXX")
                guard value <= 0x10FFFF else { throw Failure(text: "illegal Unicode character") }
                try append(value)
            case UInt8(ascii: "N"): throw Failure(text: "\\N{...} escapes are not supported")
            default:
                // Python keeps an unknown escape as written (with a DeprecationWarning).
                out.append("\\")
                out.append(Unicode.Scalar(e))
            }
        }
        return String(out)
    }
}
