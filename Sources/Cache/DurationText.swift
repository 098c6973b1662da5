import FoundationEssentials
import Glibc

/// Ages as people write them: `12h`, `30d`, `90m`, `2w`, `1d12h`. Units: s, m, h, d, w.
public enum DurationText {
    public static func parse(_ text: String) throws -> TimeInterval {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let trimmed = text.trimmingSpaces()
        var rest = Substring(trimmed)
        var total: TimeInterval = 0
        func invalid(_ why: String) -> CacheError {
            .invalidArgument("invalid duration \"\(text)\": \(why) (write e.g. 12h, 30d, 1d12h; units s, m, h, d, w)")
        }
        guard !rest.isEmpty else { throw invalid("empty") }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number), !number.isEmpty else { throw invalid("expected a number") }
            rest = rest.dropFirst(number.count)
            guard let unitCharacter = rest.first, let unit = units[Character(unitCharacter.lowercased())] else {
                throw invalid(rest.isEmpty ? "missing unit after \(number)" : "unknown unit \"\(rest.first!)\"")
            }
            rest = rest.dropFirst()
            total += value * unit
        }
        return total
    }

    /// A short rendering for reports, e.g. `2d 3h`, `45s`.
    public static func format(_ interval: TimeInterval) -> String {
        var seconds = Int(interval.rounded())
        if seconds < 60 { return "\(seconds)s" }
        var parts = [String]()
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] where seconds >= size {
            parts.append("\(seconds / size)\(unit)")
            seconds %= size
            if parts.count == 2 { break }
        }
        return parts.joined(separator: " ")
    }
}
