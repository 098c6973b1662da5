// A Python int too large for 64 bits, as PyYAML loads `12345678901234567890123`: kept exact and
// printed, tested and serialised as the integer it is. (Arithmetic on it is not supported.)

final class PyBigInt: TemplateObject {
    /// The decimal digits, with a leading "-" when negative.
    let decimal: String
    init(decimal: String) { self.decimal = decimal }

    var typeName: String { "int" }
    var repr: String { decimal }
    var truthy: Bool { true }

    /// Digits in `radix` (2, 8, 10 or 16) with an optional sign and `_` separators; nil if invalid.
    static func parse(_ text: String, radix: Int) -> PyBigInt? {
        var negative = false
        var body = Substring(text.replacingOccurrences(of: "_", with: ""))
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        guard !body.isEmpty else { return nil }
        // Little-endian limbs of 10^9.
        var limbs: [UInt64] = [0]
        for c in body {
            guard let d = c.hexDigitValue, d < radix else { return nil }
            var carry = UInt64(d)
            for i in limbs.indices {
                let x = limbs[i] * UInt64(radix) + carry
                limbs[i] = x % 1_000_000_000
                carry = x / 1_000_000_000
            }
            while carry > 0 { limbs.append(carry % 1_000_000_000); carry /= 1_000_000_000 }
        }
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
        var digits = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let s = String(limb)
            digits += String(repeating: "0", count: 9 - s.count) + s
        }
        return PyBigInt(decimal: (negative && digits != "0" ? "-" : "") + digits)
    }
}
