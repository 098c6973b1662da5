/// Go's number syntax and formatting where sops' output depends on it (strconv.ParseInt base 0,
/// ParseFloat, FormatFloat 'g'/-1 as yaml.v3 writes floats and 'f'/-1 as sops' MAC hashes them).
enum GoNumbers {
    static func parseInt(_ raw: String) -> Int? {
        var text = raw.replacing("_", with: "")
        var negative = false
        if text.hasPrefix("-") { negative = true; text.removeFirst() } else if text.hasPrefix("+") { text.removeFirst() }
        let lower = text.lowercased()
        var radix = 10
        if lower.hasPrefix("0x") { radix = 16; text.removeFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; text.removeFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; text.removeFirst(2) }
        else if text.count > 1 && text.hasPrefix("0") { radix = 8; text.removeFirst() }
        guard !text.isEmpty, let magnitude = UInt64(text, radix: radix) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int.max) + 1 else { return nil }
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int.max) else { return nil }
        return Int(magnitude)
    }

    static func parseFloat(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: return Double(text.replacing("_", with: ""))
        }
    }

    /// Shortest round-trip digits and decimal exponent: value = 0.d1d2d3… × 10^exponent.
    private static func shortestDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        // Swift's description is the shortest round-trip representation, like Go's shortest mode.
        var text = "\(abs(value))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = Array((integer + fraction).utf8).map { $0 - 48 }
        var pointPosition = integer.count + exponent
        while digits.first == 0 && digits.count > 1 { digits.removeFirst(); pointPosition -= 1 }
        while digits.last == 0 && digits.count > 1 { digits.removeLast() }
        if digits == [0] { pointPosition = 1 }
        return (digits, pointPosition)
    }

    /// strconv.FormatFloat(v, 'g', -1, 64) with yaml.v3's spellings of infinities and NaN.
    static func yamlFloat(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        let (digits, point) = shortestDigits(value)
        let sign = value.sign == .minus ? "-" : ""
        let exponent = point - 1
        let digitText = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
        if exponent < -4 || exponent >= 6 {
            var mantissa = String(digitText.prefix(1))
            if digits.count > 1 { mantissa += "." + digitText.dropFirst() }
            let expSign = exponent < 0 ? "-" : "+"
            let expDigits = String(abs(exponent))
            return sign + mantissa + "e" + expSign + (expDigits.count < 2 ? "0" + expDigits : expDigits)
        }
        return sign + fixed(digits: digits, point: point)
    }

    /// strconv.FormatFloat(v, 'f', -1, 64).
    static func fixedFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let (digits, point) = shortestDigits(value)
        return (value.sign == .minus ? "-" : "") + fixed(digits: digits, point: point)
    }

    private static func fixed(digits: [UInt8], point: Int) -> String {
        let text = String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + text }
        if point >= digits.count { return text + String(repeating: "0", count: point - digits.count) }
        return String(text.prefix(point)) + "." + text.dropFirst(point)
    }
}
