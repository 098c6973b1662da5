import FoundationEssentials
import Glibc
import SystemKit
import YAML

/// The normalised values document: JSON with keys sorted, no comments and one spelling per value, so
/// edits of talenv.yaml that change nothing (comments, key order, quoting) produce the same bytes.
public enum CanonicalJSON {
    public static func encode(_ node: YAMLNode) -> String {
        String(decoding: encodeBytes(node), as: UTF8.self)
    }

    /// The same as `encode`, as UTF-8 bytes (what the validate stage writes).
    public static func encodeBytes(_ node: YAMLNode) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2048)
        write(node, into: &out, indent: 0)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    private static func pad(_ out: inout [UInt8], _ level: Int) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    private static func write(_ node: YAMLNode, into out: inout [UInt8], indent: Int) {
        switch node.content {
        case .mapping(let pairs):
            if pairs.isEmpty { out.append(contentsOf: "{}".utf8); return }
            // Last value wins for a repeated key, as YAML loaders do; the validator reports the repeat.
            var byKey: [String: YAMLNode] = [:]
            for pair in pairs { byKey[pair.key.scalar?.text ?? ""] = pair.value }
            out.append(contentsOf: "{\n".utf8)
            for (index, key) in byKey.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                pad(&out, indent + 1)
                quote(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                write(byKey[key]!, into: &out, indent: indent + 1)
                out.append(contentsOf: (index == byKey.count - 1 ? "\n" : ",\n").utf8)
            }
            pad(&out, indent)
            out.append(UInt8(ascii: "}"))
        case .sequence(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(contentsOf: "[\n".utf8)
            for (index, item) in items.enumerated() {
                pad(&out, indent + 1)
                write(item, into: &out, indent: indent + 1)
                out.append(contentsOf: (index == items.count - 1 ? "\n" : ",\n").utf8)
            }
            pad(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .scalar(let scalar):
            if scalar.kind == .string {
                quote(scalar.text, into: &out)
            } else {
                out.append(contentsOf: scalarJSON(scalar).utf8)
            }
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
            if let value = Double(scalar.text.replacingAll("_", with: "")), value.isFinite {
                return "\(value)"
            }
            return quote(scalar.text)
        }
    }

    /// YAML integer spellings: decimal, 0x, 0o, 0b, a sign, underscores.
    static func parseInt(_ text: String) -> Int? {
        var body = Substring(text.replacingAll("_", with: ""))
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
        var out: [UInt8] = []
        quote(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A JSON string literal: quotes and backslashes escaped, control characters as short escapes or `\u00XX`.
    static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
            case 0..<0x20, 0x7f:
                // Multi-byte UTF-8 sequences never contain bytes below 0x80, so this sees only ASCII controls.
                let hex = String(byte, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
