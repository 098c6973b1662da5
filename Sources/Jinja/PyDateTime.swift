// Python's datetime.date and datetime.datetime, as PyYAML's safe_load makes them from YAML
// timestamps: printed, compared by identity, and refused by tojson exactly as Python does.
import FoundationEssentials
import Glibc

final class PyDateTime: TemplateObject {
    struct Time {
        var hour: Int, minute: Int, second: Int, microsecond: Int
        /// The UTC offset in seconds; nil for a naive datetime.
        var offset: Int?
    }

    let year: Int, month: Int, day: Int
    /// nil for a date.
    let time: Time?

    init(year: Int, month: Int, day: Int, time: Time?) {
        self.year = year
        self.month = month
        self.day = day
        self.time = time
    }

    var typeName: String { time == nil ? "date" : "datetime" }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private var dateText: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + Self.two(month) + "-" + Self.two(day)
    }

    /// datetime.isoformat(sep).
    func isoformat(_ separator: String) -> String {
        guard let t = time else { return dateText }
        var out = dateText + separator + Self.two(t.hour) + ":" + Self.two(t.minute) + ":" + Self.two(t.second)
        if t.microsecond != 0 {
            let us = String(t.microsecond)
            out += "." + String(repeating: "0", count: 6 - us.count) + us
        }
        if let offset = t.offset {
            let magnitude = abs(offset)
            out += (offset < 0 ? "-" : "+") + Self.two(magnitude / 3600) + ":" + Self.two(magnitude % 3600 / 60)
            if magnitude % 60 != 0 { out += ":" + Self.two(magnitude % 60) }
        }
        return out
    }

    /// str(): `2024-01-15` or `2024-01-15 10:30:00+00:00`.
    var text: String { isoformat(" ") }

    var repr: String {
        guard let t = time else { return "datetime.date(\(year), \(month), \(day))" }
        var out = "datetime.datetime(\(year), \(month), \(day), \(t.hour), \(t.minute)"
        if t.microsecond != 0 { out += ", \(t.second), \(t.microsecond)" } else if t.second != 0 { out += ", \(t.second)" }
        if let offset = t.offset {
            if offset == 0 {
                out += ", tzinfo=datetime.timezone.utc"
            } else {
                // timedelta normalises to days and non-negative seconds.
                let days = offset < 0 ? -1 : 0
                let seconds = offset - days * 86_400
                out += ", tzinfo=datetime.timezone(datetime.timedelta(" + (days != 0 ? "days=-1, " : "") + "seconds=\(seconds)))"
            }
        }
        return out + ")"
    }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "year": return .int(year)
        case "month": return .int(month)
        case "day": return .int(day)
        default: break
        }
        guard let t = time else { return nil }
        switch name {
        case "hour": return .int(t.hour)
        case "minute": return .int(t.minute)
        case "second": return .int(t.second)
        case "microsecond": return .int(t.microsecond)
        default: return nil
        }
    }

    func callMethod(_ name: String, _ args: Arguments, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "isoformat":
            let separator = args.positional.first?.asString ?? "T"
            return .string(isoformat(separator))
        default: return nil
        }
    }

    /// PyYAML's implicit timestamp pattern and construct_yaml_timestamp; nil when `text` is not
    /// a timestamp, an error when it looks like one but names no real date or time.
    static func parse(_ text: String) throws -> PyDateTime? {
        if let m = try? dateOnly.firstMatch(in: text) {
            let n = (1...3).map { Int(String(text.unicodeScalars[m.output[$0].range!]))! }
            return try make(n[0], n[1], n[2], time: nil)
        }
        guard let m = try? dateTime.firstMatch(in: text) else { return nil }
        func group(_ i: Int) -> String? { m.output[i].range.map { String(text.unicodeScalars[$0]) } }
        let n = (1...6).map { Int(group($0)!)! }
        var microsecond = 0
        if let fraction = group(7) {
            var digits = String(fraction.prefix(6))
            while digits.count < 6 { digits += "0" }
            microsecond = Int(digits)!
        }
        var offset: Int?
        if let tz = group(8) {
            if tz == "Z" {
                offset = 0
            } else {
                let sign = tz.hasPrefix("-") ? -1 : 1
                let parts = tz.dropFirst().split(separator: ":")
                offset = sign * (Int(parts[0])! * 3600 + (parts.count > 1 ? Int(parts[1])! * 60 : 0))
            }
        }
        return try make(n[0], n[1], n[2], time: Time(hour: n[3], minute: n[4], second: n[5], microsecond: microsecond, offset: offset))
    }

    private static func make(_ year: Int, _ month: Int, _ day: Int, time: Time?) throws -> PyDateTime {
        guard (1...9999).contains(year) else { throw EvalError.runtime("year \(year) is out of range") }
        guard (1...12).contains(month) else { throw EvalError.runtime("month must be in 1..12") }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { throw EvalError.runtime("day is out of range for month") }
        if let t = time {
            guard t.hour < 24 else { throw EvalError.runtime("hour must be in 0..23") }
            guard t.minute < 60 else { throw EvalError.runtime("minute must be in 0..59") }
            guard t.second < 60 else { throw EvalError.runtime("second must be in 0..59") }
            if let offset = t.offset, abs(offset) >= 86_400 {
                throw EvalError.runtime("offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)")
            }
        }
        return PyDateTime(year: year, month: month, day: day, time: time)
    }

    // Python's `$` (before a final newline too); nonisolated(unsafe): a Regex is immutable, only not marked Sendable.
    nonisolated(unsafe) private static let dateOnly = try! Regex("^([0-9]{4})-([0-9]{2})-([0-9]{2})(?=\\n?\\z)").matchingSemantics(.unicodeScalar)
    nonisolated(unsafe) private static let dateTime = try! Regex(
        "^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \\t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]*))?(?:[ \\t]*(Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?(?=\\n?\\z)")
        .matchingSemantics(.unicodeScalar)
}
