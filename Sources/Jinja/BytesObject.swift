// Python bytes, as `str.encode()` returns them: printable as b'…', iterable as ints, decodable.

final class BytesObject: TemplateObject {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var typeName: String { "bytes" }
    var truthy: Bool { !bytes.isEmpty }
    func iterate() -> [Value]? { bytes.map { .int(Int($0)) } }

    /// bytes.__repr__: single quotes unless the bytes hold ' and no ", escapes for the rest.
    var repr: String {
        let quote: UInt8 = bytes.contains(0x27) && !bytes.contains(0x22) ? 0x22 : 0x27
        var out = "b" + String(UnicodeScalar(quote))
        for b in bytes {
            switch b {
            case 0x5C: out += "\\\\"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case quote: out += "\\" + String(UnicodeScalar(b))
            case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(b))
            default:
                let hex = String(b, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out + String(UnicodeScalar(quote))
    }

    func callMethod(_ name: String, _ args: Arguments, _ interpreter: Interpreter) throws -> Value? {
        guard name == "decode" else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw EvalError.runtime("'utf-8' codec can't decode bytes")
        }
        return .string(text)
    }
}
