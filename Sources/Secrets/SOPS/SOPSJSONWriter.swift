import SystemKit

/// Writes a decrypted SOPS tree as sops' JSON store does: Go's encoding/json for keys and scalars (HTML
/// characters escaped, floats in Go's JSON spelling), then json.Indent with a tab. Comments are dropped.
struct SOPSJSONWriter {
    /// A whole file: the indented object and a newline.
    func write(_ items: [SOPSBranchItem]) -> String {
        var out = ""
        value(.branch(items), depth: 0, into: &out)
        return out + "\n"
    }

    /// One value as `sops -d --extract` prints it: indented, no trailing newline.
    func writeValue(_ value: SOPSValue) -> String {
        var out = ""
        self.value(value, depth: 0, into: &out)
        return out
    }

    /// json.Marshal of a scalar or list (no spaces), as sops' INI store prints an extracted value.
    static func compact(_ value: SOPSValue) -> String {
        switch value {
        case .list(let items):
            return "[" + items.compactMap { item -> String? in
                if case .value(let element, _) = item { return compact(element) }
                return nil
            }.joined(separator: ",") + "]"
        case .branch(let items):
            return "{" + items.compactMap { item -> String? in
                if case .pair(let pair) = item { return quoted(pair.key) + ":" + compact(pair.value) }
                return nil
            }.joined(separator: ",") + "}"
        default:
            return SOPSJSONWriter().writeValue(value)
        }
    }

    private func newline(_ depth: Int, into out: inout String) {
        out += "\n" + String(repeating: "\t", count: depth)
    }

    private func value(_ value: SOPSValue, depth: Int, into out: inout String) {
        switch value {
        case .branch(let items):
            let pairs = items.compactMap { item -> SOPSPair? in
                if case .pair(let pair) = item { return pair }
                return nil
            }
            guard !pairs.isEmpty else { out += "{}"; return }
            out += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out += "," }
                newline(depth + 1, into: &out)
                out += Self.quoted(pair.key) + ": "
                self.value(pair.value, depth: depth + 1, into: &out)
            }
            newline(depth, into: &out)
            out += "}"
        case .list(let items):
            let values = items.compactMap { item -> SOPSValue? in
                if case .value(let value, _) = item { return value }
                return nil
            }
            guard !values.isEmpty else { out += "[]"; return }
            out += "["
            for (index, element) in values.enumerated() {
                if index > 0 { out += "," }
                newline(depth + 1, into: &out)
                self.value(element, depth: depth + 1, into: &out)
            }
            newline(depth, into: &out)
            out += "]"
        case .string(let text), .time(let text): out += Self.quoted(text)
        // Go writes each invalid UTF-8 byte as \ufffd.
        case .bytes(let bytes): out += Self.quoted(String(decoding: bytes, as: UTF8.self)).replacingAll("\u{FFFD}", with: "\\ufffd")
        case .int(let number): out += String(number)
        case .float(let number): out += Self.float(number)
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// encoding/json's float64 spelling: 'f' formatting, 'e' below 1e-6 or from 1e21, `e-07` shortened to `e-7`.
    static func float(_ value: Double) -> String {
        let magnitude = abs(value)
        guard magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 else { return GoNumbers.fixedFloat(value) }
        var text = GoNumbers.yamlFloat(value)   // 'g' with these magnitudes is 'e' with a two-digit exponent
        let bytes = Array(text.utf8)
        let n = bytes.count
        if n >= 4, bytes[n - 4] == UInt8(ascii: "e"), bytes[n - 3] == UInt8(ascii: "-"), bytes[n - 2] == UInt8(ascii: "0") {
            text = String(decoding: bytes[..<(n - 2)] + [bytes[n - 1]], as: UTF8.self)
        }
        return text
    }

    /// encoding/json's string escaping, HTML-safe as json.Marshal writes it.
    static func quoted(_ text: String) -> String {
        var out = "\""
        let hex = Array("0123456789abcdef".utf8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + String(format4(scalar.value, hex))
            default:
                if scalar.value < 0x20 { out += "\\u" + String(format4(scalar.value, hex)) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    private static func format4(_ value: UInt32, _ hex: [UInt8]) -> String {
        String(decoding: (0..<4).reversed().map { hex[Int((value >> (4 * UInt32($0))) & 0xF)] }, as: UTF8.self)
    }
}
