/// Byte counts as people write them: `500MB`, `2GiB`, `1.5G`, `4096`. Units are decimal
/// (kB, MB, GB, TB = powers of 1000) or binary (KiB, MiB, GiB, TiB = powers of 1024); the
/// trailing `B` is optional and letter case does not matter.
public enum ByteSize {
    public static func parse(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingSpaces()
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(number.count).trimmingSpaces().lowercased()
        guard let value = Double(number), value >= 0, !number.isEmpty else {
            throw CacheError.invalidArgument("invalid size \"\(text)\": expected a number with an optional unit, like 500MB or 2GiB")
        }
        let multipliers: [String: Double] = [
            "": 1, "b": 1,
            "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
            "ki": 1024, "kib": 1024, "mi": 1_048_576, "mib": 1_048_576,
            "gi": 1_073_741_824, "gib": 1_073_741_824, "ti": 1_099_511_627_776, "tib": 1_099_511_627_776,
        ]
        guard let multiplier = multipliers[unit] else {
            throw CacheError.invalidArgument("invalid size \"\(text)\": unknown unit \"\(unit)\" (use B, kB, MB, GB, TB, KiB, MiB, GiB or TiB)")
        }
        let bytes = (value * multiplier).rounded()
        guard bytes < 9.2e18 else { throw CacheError.invalidArgument("invalid size \"\(text)\": too large") }
        return Int64(bytes)
    }

    /// A short binary-unit rendering for reports, e.g. `1.5 MiB`.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1024 && index < units.count - 1 {
            value /= 1024
            index += 1
        }
        if index == 0 { return "\(bytes) B" }
        let tenths = (value * 10).rounded() / 10
        return "\(tenths) \(units[index])"
    }
}

extension StringProtocol {
    func trimmingSpaces() -> Substring {
        let text = Substring(self)
        let start = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
        let end = text.lastIndex { !$0.isWhitespace }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }
}
