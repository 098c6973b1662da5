/// Go's strconv.FormatFloat(f, 'g', -1, 64) as yaml.v3 writes float64 values (encode.go, floatv):
/// the shortest digits that round-trip, in exponent form (`1e+06`, `2.5e-07`, at least two exponent
/// digits) when the decimal exponent is below -4 or at least 6 (Go's threshold for shortest output).
enum GoFloatFormat {
    static func format(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let (negative, digits, pointPosition) = shortestDigits(value)
        // digits "d1d2…dn" mean 0.d1d2…dn × 10^pointPosition; Go's exponent is pointPosition - 1.
        let exponent = pointPosition - 1
        var out = negative ? "-" : ""
        if exponent < -4 || exponent >= 6 {
            out.append(digits.first!)
            if digits.count > 1 {
                out += "." + digits.dropFirst()
            }
            out += exponent < 0 ? "e-" : "e+"
            let magnitude = String(abs(exponent))
            out += magnitude.count < 2 ? "0" + magnitude : magnitude
            return out
        }
        if pointPosition <= 0 {
            out += "0." + String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            out += digits + String(repeating: "0", count: pointPosition - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            out += digits[..<split] + "." + digits[split...]
        }
        return out
    }

    /// Swift's description is also the shortest round-trip form; take its digits and decimal point.
    private static func shortestDigits(_ value: Double) -> (negative: Bool, digits: String, pointPosition: Int) {
        var text = abs(value).description  // "1234567.0", "1e-05", "1.5e+300", "0.0001"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var integerPart = text
        var fraction = ""
        if let dot = text.firstIndex(of: ".") {
            integerPart = String(text[..<dot])
            fraction = String(text[text.index(after: dot)...])
        }
        var digits = integerPart + fraction
        var point = integerPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (value < 0, digits, point)
    }
}

extension YAMLNode {
    /// A float written as yaml.v3 writes a Go float64 (`0.1`, `1e+06`, `.inf`).
    public static func float(_ value: Double) -> YAMLNode {
        YAMLNode(.scalar(YAMLScalar(text: GoFloatFormat.format(value), kind: .float)))
    }
}
