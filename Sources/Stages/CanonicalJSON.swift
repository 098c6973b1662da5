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
            let order = sortedPairIndices(pairs)
            out.append(contentsOf: "{\n".utf8)
            for (position, index) in order.enumerated() {
                pad(&out, indent + 1)
                quote(pairs[index].key.scalar?.text ?? "", into: &out)
                out.append(contentsOf: ": ".utf8)
                write(pairs[index].value, into: &out, indent: indent + 1)
                out.append(contentsOf: (position == order.count - 1 ? "\n" : ",\n").utf8)
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
            } else if isCanonicalSpelling(scalar) {
                out.append(contentsOf: scalar.text.utf8)
            } else {
                out.append(contentsOf: scalarJSON(scalar).utf8)
            }
        }
    }

    /// The indices of the pairs to write, sorted by the keys' UTF-8 bytes; for a repeated key only its
    /// last value, as YAML loaders keep it (the validator reports the repeat).
    private static func sortedPairIndices(_ pairs: [YAMLPair]) -> [Int] {
        let keys = pairs.map { $0.key.scalar?.text ?? "" }
        guard keys.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return sortedPairIndicesByDictionary(keys) }
        // ASCII keys are equal exactly when their bytes are: sort the indices (ties by position) and keep
        // the last of each run of equal keys, without a dictionary per mapping.
        let sorted = keys.indices.sorted { a, b in
            keys[a] == keys[b] ? a < b : keys[a].utf8.lexicographicallyPrecedes(keys[b].utf8)
        }
        var kept: [Int] = []
        kept.reserveCapacity(sorted.count)
        for (position, index) in sorted.enumerated() where position == sorted.count - 1 || keys[sorted[position + 1]] != keys[index] {
            kept.append(index)
        }
        return kept
    }

    /// The same for keys beyond ASCII, whose equality is Swift's (canonical equivalence) as a dictionary
    /// sees it: one entry per key, written under its first spelling with its last value.
    private static func sortedPairIndicesByDictionary(_ keys: [String]) -> [Int] {
        var byKey: [String: (spelling: String, index: Int)] = [:]
        for (index, key) in keys.enumerated() {
            byKey[key] = (byKey[key]?.spelling ?? key, index)
        }
        return byKey.values.sorted { $0.spelling.utf8.lexicographicallyPrecedes($1.spelling.utf8) }.map(\.index)
    }

    /// A bool or int already written as `scalarJSON` writes it (`true`, `false`, a decimal without a
    /// leading zero, `+` or `_`, short enough for Int), so it is copied as it is.
    private static func isCanonicalSpelling(_ scalar: YAMLScalar) -> Bool {
        switch scalar.kind {
        case .bool:
            return scalar.text == "true" || scalar.text == "false"
        case .int:
            var digits = Substring(scalar.text).utf8
            if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
            guard let first = digits.first, digits.count <= 18,
                  digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
            // "0" but not "00", "-0" or "07".
            return first != UInt8(ascii: "0") || (digits.count == 1 && scalar.text.utf8.count == 1)
        default:
            return false
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
        // Most values need no escape: copied in one piece.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
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
