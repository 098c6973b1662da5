import Diagnostics
import SystemKit

/// sops' dotenv store: `KEY=value` lines (a literal `\n` in a value is a newline), `#` comment lines,
/// blank lines dropped; metadata as `sops_`-prefixed flattened keys.
enum SOPSDotenv {
    static func read(_ bytes: [UInt8], file: String) throws -> [SOPSBranchItem] {
        var items: [SOPSBranchItem] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let location = SourceLocation(file: file, line: index + 1, column: 1)
            if line.first == UInt8(ascii: "#") {
                items.append(.comment(SOPSComment(text: String(decoding: line.dropFirst(), as: UTF8.self), inline: false, location: location)))
                continue
            }
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else {
                throw Diagnostic.error("invalid dotenv line (expected KEY=value)", at: location)
            }
            let value = String(decoding: line[(equals + 1)...], as: UTF8.self).replacingAll("\\n", with: "\n")
            items.append(.pair(SOPSPair(key: String(decoding: line[..<equals], as: UTF8.self), value: .string(value), location: location)))
        }
        return items
    }

    /// The plaintext as sops prints it; nested values cannot be written (sops' own error).
    static func write(_ items: [SOPSBranchItem]) throws -> String {
        var out = ""
        for item in items {
            switch item {
            case .comment(let comment):
                out += "#" + comment.text + "\n"
            case .pair(let pair):
                switch pair.value {
                case .branch, .list:
                    throw Diagnostic.error("cannot use complex value in dotenv file; offending key \(pair.key)")
                case .string(let text):
                    out += pair.key + "=" + text.replacingAll("\n", with: "\\n") + "\n"
                default:
                    out += pair.key + "=" + SOPSDotenv.valueText(pair.value) + "\n"
                }
            }
        }
        return out
    }

    /// stores.ValToString: how sops spells a non-string scalar in a flat format.
    static func valueText(_ value: SOPSValue) -> String {
        switch value {
        case .string(let text): return text
        // Go's time.RFC3339, which drops fractional seconds.
        case .time(let text): return SOPSMetadata.withoutFractionalSeconds(text)
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .int(let number): return String(number)
        case .float(let number): return GoNumbers.fixedFloat(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "<nil>"
        case .branch, .list: return ""
        }
    }
}
