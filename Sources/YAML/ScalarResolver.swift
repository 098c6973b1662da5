/// The type a plain (unquoted, untagged) scalar resolves to under gopkg.in/yaml.v3's rules (resolve.go):
/// YAML 1.2 core names for bools and nulls, Go `strconv` number syntax (0x, 0o, 0b, legacy 0777,
/// underscores ignored), floats matching yaml.v3's float pattern, and the timestamp layouts it accepts.
/// (`<<` resolves as a string here, as in yaml.v3: its resolve table has no hint for `<`; merge keys
/// are recognised by their text.)
enum ResolvedType: Equatable {
    case string, null, bool, int, float, timestamp
}

enum ScalarResolver {
    /// Resolves `text` as yaml.v3's `resolve("", text)` does for a plain scalar.
    static func resolve(_ text: String) -> ResolvedType {
        var copy = text
        return copy.withUTF8 { resolve($0) }
    }

    static func resolve(_ s: UnsafeBufferPointer<UInt8>) -> ResolvedType {
        guard let first = s.first else { return .null }
        switch first {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"),
             UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"),
             UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "~"):
            return lookupWord(s) ?? .string
        case UInt8(ascii: "."):
            if let word = lookupWord(s) { return word }
            // strconv.ParseFloat fails on overflow (`.8e440`), leaving a string.
            return isGoFloatStartingWithDot(s) && GoNumberSyntax.floatIsFinite(s.filter { $0 != UInt8(ascii: "_") }) ? .float : .string
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if let word = lookupWord(s) { return word }
            return resolveNumberLike(s)
        default:
            return .string
        }
    }

    /// yaml.v3's resolve map: the exact spellings of bools, nulls and the special floats.
    private static let words: [(spelling: [UInt8], type: ResolvedType)] = {
        let table: [(String, ResolvedType)] = [
            ("true", .bool), ("True", .bool), ("TRUE", .bool), ("false", .bool), ("False", .bool), ("FALSE", .bool),
            ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
            (".nan", .float), (".NaN", .float), (".NAN", .float), (".inf", .float), (".Inf", .float), (".INF", .float),
            ("+.inf", .float), ("+.Inf", .float), ("+.INF", .float), ("-.inf", .float), ("-.Inf", .float), ("-.INF", .float),
        ]
        return table.map { (Array($0.0.utf8), $0.1) }
    }()

    /// Compares bytes directly: most keys start with one of the hinted letters (`type`, `name`, `options`),
    /// so this runs for a large share of scalars and must not build Strings.
    private static func lookupWord(_ s: UnsafeBufferPointer<UInt8>) -> ResolvedType? {
        if s.count > 5 { return nil }
        for word in words where word.spelling.count == s.count && word.spelling[0] == s[0] {
            if word.spelling.elementsEqual(s) { return word.type }
        }
        return nil
    }

    private static func resolveNumberLike(_ s: UnsafeBufferPointer<UInt8>) -> ResolvedType {
        if isTimestamp(s) { return .timestamp }
        // yaml.v3 drops every underscore before trying the number parsers.
        var plain = [UInt8]()
        plain.reserveCapacity(s.count)
        for byte in s where byte != UInt8(ascii: "_") { plain.append(byte) }
        if GoNumberSyntax.parsesAsInt64(plain) || GoNumberSyntax.parsesAsUInt64(plain) { return .int }
        if GoNumberSyntax.matchesYAMLFloatPattern(plain) && GoNumberSyntax.floatIsFinite(plain) { return .float }
        // The explicit binary/octal retries in resolve.go only differ from ParseInt(…, 0, 64) for forms
        // ParseInt already accepts, except "-0b…"/"-0o…" which ParseInt also takes; nothing else to do.
        return .string
    }

    /// strconv.ParseFloat on a scalar that starts with ".": `.5`, `.5e3`, `.5_0`.
    private static func isGoFloatStartingWithDot(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 1
        var digits = 0
        var previousUnderscore = false
        var previousDigit = false
        while i < s.count, isDigit(s[i]) || s[i] == UInt8(ascii: "_") {
            if s[i] == UInt8(ascii: "_") {
                if !previousDigit { return false }
                previousUnderscore = true; previousDigit = false
            } else {
                digits += 1; previousUnderscore = false; previousDigit = true
            }
            i += 1
        }
        if digits == 0 || previousUnderscore { return false }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            var expDigits = 0
            while i < s.count, isDigit(s[i]) { i += 1; expDigits += 1 }
            if expDigits == 0 { return false }
        }
        return i == s.count
    }

    /// yaml.v3 accepts `2006-1-2`, `2006-1-2 15:4:5.999999999` and `2006-1-2T15:4:5.999999999Z07:00`
    /// (also lower-case `t`), parsed by Go's time.Parse: 1–2 digit fields, ranges checked.
    static func isTimestamp(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.count >= 8 else { return false }
        for i in 0..<4 where !isDigit(s[i]) { return false }
        guard s[4] == UInt8(ascii: "-") else { return false }
        var i = 5
        func number(_ maxDigits: Int = 2) -> Int? {
            var value = 0
            var count = 0
            while i < s.count, count < maxDigits, isDigit(s[i]) {
                value = value * 10 + Int(s[i] - UInt8(ascii: "0")); i += 1; count += 1
            }
            return count == 0 ? nil : value
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        let year = (0..<4).reduce(0) { $0 * 10 + Int(s[$1] - UInt8(ascii: "0")) }
        guard let month = number(), (1...12).contains(month), expect(UInt8(ascii: "-")),
              let day = number(), day >= 1, day <= daysIn(month: month, year: year) else { return false }
        if i == s.count { return true }
        let separator = s[i]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else { return false }
        i += 1
        guard let hour = number(), hour < 24, expect(UInt8(ascii: ":")),
              let minute = number(), minute < 60, expect(UInt8(ascii: ":")),
              let second = number(), second < 60 else { return false }
        if i < s.count, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ","), i + 1 < s.count, isDigit(s[i + 1]) {
            i += 1
            while i < s.count, isDigit(s[i]) { i += 1 }
        }
        if separator == UInt8(ascii: " ") { return i == s.count }
        // Z07:00: "Z" or ±hh:mm.
        guard i < s.count else { return false }
        if s[i] == UInt8(ascii: "Z") { return i + 1 == s.count }
        guard s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-"), s.count - i == 6,
              isDigit(s[i + 1]), isDigit(s[i + 2]), s[i + 3] == UInt8(ascii: ":"), isDigit(s[i + 4]), isDigit(s[i + 5])
        else { return false }
        let zoneHour = Int(s[i + 1] - 48) * 10 + Int(s[i + 2] - 48)
        let zoneMinute = Int(s[i + 4] - 48) * 10 + Int(s[i + 5] - 48)
        return zoneHour < 24 && zoneMinute < 60
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// YAML 1.1 sexagesimal floats (`1:30`, `-1:20:30.5`): yaml.v3 does not decode them but quotes strings
    /// that look like them (encode.go, isBase60Float).
    static func isBase60Float(_ text: String) -> Bool {
        guard let first = text.utf8.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || isDigit(first),
              text.utf8.contains(UInt8(ascii: ":")) else { return false }
        let s = Array(text.utf8)
        // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
        var i = 0
        if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        guard i < s.count, isDigit(s[i]) else { return false }
        i += 1
        while i < s.count, isDigit(s[i]) || s[i] == UInt8(ascii: "_") { i += 1 }
        var groups = 0
        while i < s.count, s[i] == UInt8(ascii: ":") {
            i += 1
            // [0-5]?[0-9]: one digit, or two digits whose first is 0–5.
            guard i < s.count, isDigit(s[i]) else { return false }
            if i + 1 < s.count, isDigit(s[i + 1]), s[i] <= UInt8(ascii: "5") { i += 2 } else { i += 1 }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, isDigit(s[i]) || s[i] == UInt8(ascii: "_") { i += 1 }
        }
        return i == s.count
    }

    /// YAML 1.1 booleans yaml.v3 no longer decodes as bools but still quotes (encode.go, isOldBool).
    static func isOldBool(_ text: String) -> Bool {
        guard text.utf8.count <= 3 else { return false }
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF":
            return true
        default:
            return false
        }
    }
}
