import FoundationEssentials
import Glibc
import SystemKit
import YAML

/// Talos's disk sizes as go-humanize reads and writes them: `ParseBytes` in, and out `Bytes` (SI units,
/// "100 GB") when that reads back exactly, else the plain number of bytes.
enum HumanBytes {
    private static let units: [(String, Double)] = [
        ("b", 1), ("byte", 1), ("bytes", 1),
        ("k", 1e3), ("kb", 1e3), ("ki", 1024), ("kib", 1024),
        ("m", 1e6), ("mb", 1e6), ("mi", 1_048_576), ("mib", 1_048_576),
        ("g", 1e9), ("gb", 1e9), ("gi", 1_073_741_824), ("gib", 1_073_741_824),
        ("t", 1e12), ("tb", 1e12), ("ti", 1_099_511_627_776), ("tib", 1_099_511_627_776),
        ("p", 1e15), ("pb", 1e15), ("pi", 1_125_899_906_842_624), ("pib", 1_125_899_906_842_624),
        ("e", 1e18), ("eb", 1e18), ("ei", 1_152_921_504_606_846_976), ("eib", 1_152_921_504_606_846_976),
    ]

    static func parse(_ text: String) -> UInt64? {
        let trimmed = text.trimming(.whitespaces).replacingAll(",", with: "")
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(number.count).trimming(.whitespaces).lowercased()
        guard let value = Double(number) else { return nil }
        if unit.isEmpty { return UInt64(exactly: value.rounded(.down)) ?? (value >= 0 ? UInt64(value) : nil) }
        guard let multiplier = units.first(where: { $0.0 == unit })?.1 else { return nil }
        let bytes = value * multiplier
        guard bytes >= 0, bytes < 1.8e19 else { return nil }
        return UInt64(bytes)
    }

    /// go-humanize's `Bytes`: SI units, one decimal below 10.
    static func format(_ bytes: UInt64) -> String {
        if bytes < 10 { return "\(bytes) B" }
        let sizes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        let exponent = Int((log(Double(bytes)) / log(1000)).rounded(.down))
        let value = (Double(bytes) / pow(1000, Double(exponent)) * 10 + 0.5).rounded(.down) / 10
        return String(cFormat: value < 10 ? "%.1f" : "%.0f", value) + " " + sizes[exponent]
    }

    /// How Talos writes a disk size.
    static func encoded(_ bytes: UInt64) -> YAMLNode {
        if bytes % 1000 == 0 {
            let text = format(bytes)
            if parse(text) == bytes { return .string(text) }
        }
        return YAMLNode(.scalar(YAMLScalar(text: String(bytes), kind: .int)))
    }
}
