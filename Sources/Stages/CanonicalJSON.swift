import Foundation
import YAML

/// The normalised values document: JSON with keys sorted, no comments and one spelling per value, so
/// edits of talenv.yaml that change nothing (comments, key order, quoting) produce the same bytes.
public enum CanonicalJSON {
    public static func encode(_ node: YAMLNode) -> String {
        var out = ""
        write(node, into: &out, indent: 0)
        out += "\n"
        return out
    }

    private static func write(_ node: YAMLNode, into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1), closePad = String(repeating: "  ", count: indent)
        switch node.content {
        case .mapping(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            // Last value wins for a repeated key, as YAML loaders do; the validator reports the repeat.
            var byKey: [String: YAMLNode] = [:]
            for pair in pairs { byKey[pair.key.scalar?.text ?? ""] = pair.value }
            out += "{\n"
            for (index, key) in byKey.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).enumerated() {
                out += pad + quote(key) + ": "
                write(byKey[key]!, into: &out, indent: indent + 1)
                out += index == byKey.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        case .sequence(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += pad
                write(item, into: &out, indent: indent + 1)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case .scalar(let scalar):
            out += scalarJSON(scalar)
        }
    }

    private static func scalarJSON(_ scalar: YAMLScalar) -> String {
        switch scalar.kind {
        case .string: return quote(scalar.text)
        case .null: return "null"
        case .bool: return scalar.text.lowercased() == "true" ? "true" : "false"
        case .int:
            if let value = parseInt(scalar.text) { return String(value) }
            return quote(scalar.text)
        case .float:
            if let value = Double(scalar.text.replacingOccurrences(of: "_", with: "")), value.isFinite {
                return "\(value)"
            }
            return quote(scalar.text)
        }
    }

    /// YAML integer spellings: decimal, 0x, 0o, 0b, a sign, underscores.
    static func parseInt(_ text: String) -> Int? {
        var body = Substring(text.replacingOccurrences(of: "_", with: ""))
        var negative = false
        if body.hasPrefix("-") || body.hasPrefix("+") { negative = body.hasPrefix("-"); body = body.dropFirst() }
        var radix = 10
        for (prefix, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where body.hasPrefix(prefix) {
            radix = r
            body = body.dropFirst(2)
        }
        guard let magnitude = Int(body, radix: radix) else { return nil }
        return negative ? -magnitude : magnitude
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
