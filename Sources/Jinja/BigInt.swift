// An arbitrary-precision integer for the Python ints that leave Int64 (2**64, a 30-digit YAML
// value). Templates stay on `Int` until a result overflows; only then is one of these built, so
// the arithmetic here is simple schoolbook code over 32-bit limbs rather than anything fast.

struct BigInt: Hashable, Sendable {
    /// True for values below zero (never for zero).
    private(set) var negative: Bool
    /// Little-endian 32-bit limbs of the magnitude, without high zero limbs (zero is `[]`).
    private(set) var limbs: [UInt32]

    /// The most bits a result may have: Python would go on (and take the machine down with
    /// `2 ** 10 ** 10`), so a template gets a positioned limit error instead.
    static let maxBits = 1 << 20

    init(_ value: Int) {
        negative = value < 0
        var m = value.magnitude
        limbs = []
        while m != 0 { limbs.append(UInt32(truncatingIfNeeded: m)); m >>= 32 }
    }

    private init(negative: Bool, limbs: [UInt32]) {
        var l = limbs
        while l.last == 0 { l.removeLast() }
        self.limbs = l
        self.negative = negative && !l.isEmpty
    }

    /// The integer a finite float holds after truncation toward zero (Python's `int(float)`).
    init?(truncating d: Double) {
        guard d.isFinite else { return nil }
        let t = d.rounded(.towardZero)
        if abs(t) < 9.2e18 { self.init(Int(t)); return }
        // |t| >= 2**63: an integer significand shifted left.
        let significand = t.significandBitPattern | (1 << 52)
        let shift = Int(t.exponent) - 52
        self = BigInt(Int(significand)).shiftedLeft(shift)
        negative = t < 0
    }

    /// Digits in `radix` (2…36) with an optional sign; `_` separators are the caller's business.
    init?(digits text: Substring, radix: Int) {
        var body = text
        var neg = false
        if body.hasPrefix("-") { neg = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        guard !body.isEmpty else { return nil }
        var l: [UInt32] = []
        for c in body {
            guard c.isASCII, let d = c.hexDigitValue ?? Self.letterValue(c), d < radix else { return nil }
            var carry = UInt64(d)
            for i in l.indices {
                let x = UInt64(l[i]) * UInt64(radix) + carry
                l[i] = UInt32(truncatingIfNeeded: x)
                carry = x >> 32
            }
            if carry != 0 { l.append(UInt32(carry)) }
        }
        self.init(negative: neg, limbs: l)
    }

    private static func letterValue(_ c: Character) -> Int? {
        guard let a = c.asciiValue, let lower = Character(UnicodeScalar(a)).lowercased().first?.asciiValue,
              lower >= 97, lower <= 122 else { return nil }
        return Int(lower) - 87
    }

    /// The value as an Int when it fits.
    var asInt: Int? {
        if limbs.count > 2 { return nil }
        var m: UInt64 = 0
        for (i, l) in limbs.enumerated() { m |= UInt64(l) << (32 * UInt64(i)) }
        if negative { return m <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- m) : nil }
        return m <= UInt64(Int.max) ? Int(m) : nil
    }

    var isZero: Bool { limbs.isEmpty }

    var bitWidth: Int {
        guard let top = limbs.last else { return 0 }
        return limbs.count * 32 - top.leadingZeroBitCount
    }

    // MARK: arithmetic

    static prefix func - (a: BigInt) -> BigInt { BigInt(negative: !a.negative, limbs: a.limbs) }

    var magnitude: BigInt { BigInt(negative: false, limbs: limbs) }

    static func + (a: BigInt, b: BigInt) -> BigInt {
        if a.negative == b.negative { return BigInt(negative: a.negative, limbs: addMagnitudes(a.limbs, b.limbs)) }
        if compareMagnitudes(a.limbs, b.limbs) >= 0 {
            return BigInt(negative: a.negative, limbs: subtractMagnitudes(a.limbs, b.limbs))
        }
        return BigInt(negative: b.negative, limbs: subtractMagnitudes(b.limbs, a.limbs))
    }

    static func - (a: BigInt, b: BigInt) -> BigInt { a + (-b) }

    static func * (a: BigInt, b: BigInt) -> BigInt {
        if a.isZero || b.isZero { return BigInt(0) }
        var out = [UInt32](repeating: 0, count: a.limbs.count + b.limbs.count)
        for (i, x) in a.limbs.enumerated() {
            var carry: UInt64 = 0
            for (j, y) in b.limbs.enumerated() {
                let t = UInt64(x) * UInt64(y) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            out[i + b.limbs.count] = UInt32(carry)
        }
        return BigInt(negative: a.negative != b.negative, limbs: out)
    }

    /// Python's divmod: the quotient rounds toward negative infinity and the remainder takes the
    /// divisor's sign. The divisor must not be zero.
    static func floorDivMod(_ a: BigInt, _ b: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        let (qm, rm) = divideMagnitudes(a.limbs, b.limbs)
        var q = BigInt(negative: a.negative != b.negative, limbs: qm)
        var r = BigInt(negative: a.negative, limbs: rm)
        if !r.isZero, r.negative != b.negative {
            q = q - BigInt(1)
            r = r + b
        }
        return (q, r)
    }

    /// `base ** exponent` for exponent >= 0; throws the limit error before building a huge result.
    static func power(_ base: BigInt, _ exponent: Int) throws -> BigInt {
        let bits = base.magnitude.bitWidth
        if bits > 1, exponent > 0, (bits - 1).multipliedReportingOverflow(by: exponent).partialValue >= maxBits
            || (bits - 1).multipliedReportingOverflow(by: exponent).overflow {
            throw EvalError.limit("integer result exceeds the limit of \(maxBits) bits")
        }
        // A power of two is a shift (2 ** 1000000 must not take a million-bit squaring).
        if bits > 0, base.limbs.dropLast().allSatisfy({ $0 == 0 }), base.limbs.last!.nonzeroBitCount == 1 {
            let r = BigInt(1).shiftedLeft((bits - 1) * exponent)
            return base.negative && exponent % 2 == 1 ? -r : r
        }
        var result = BigInt(1)
        var b = base
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result * b }
            e >>= 1
            if e > 0 { b = b * b }
        }
        return result
    }

    func shiftedLeft(_ n: Int) -> BigInt {
        guard n > 0, !isZero else { return self }
        var out = [UInt32](repeating: 0, count: n / 32)
        let bits = UInt32(n % 32)
        var carry: UInt32 = 0
        for l in limbs {
            out.append(bits == 0 ? l : (l << bits) | carry)
            carry = bits == 0 ? 0 : l >> (32 - bits)
        }
        if carry != 0 { out.append(carry) }
        return BigInt(negative: negative, limbs: out)
    }

    // MARK: comparison

    static func compare(_ a: BigInt, _ b: BigInt) -> Int {
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        let m = compareMagnitudes(a.limbs, b.limbs)
        return a.negative ? -m : m
    }

    static func < (a: BigInt, b: BigInt) -> Bool { compare(a, b) < 0 }

    // MARK: conversion

    /// The nearest float (ties to even), as Python's `float(int)`; nil when it is too large
    /// (Python's OverflowError).
    var double: Double? {
        let n = bitWidth
        if n <= 63, let i = asInt { return Double(i) }
        if n > 1024 { return nil }
        // The top 64 bits, with a sticky low bit for anything below them, round exactly once.
        var top: UInt64 = 0
        for k in 0..<64 {
            let bit = n - 1 - k
            if limbs[bit / 32] >> UInt32(bit % 32) & 1 == 1 { top |= 1 << UInt64(63 - k) }
        }
        var sticky = false
        for bit in 0..<(n - 64) where limbs[bit / 32] >> UInt32(bit % 32) & 1 == 1 { sticky = true; break }
        if sticky { top |= 1 }
        let d = Double(sign: negative ? .minus : .plus, exponent: n - 64, significand: Double(top))
        return d.isFinite ? d : nil
    }

    /// Decimal digits with a leading "-" when negative.
    var decimal: String {
        if isZero { return "0" }
        var chunks: [UInt32] = []
        var m = limbs
        while !m.isEmpty {
            var rem: UInt64 = 0
            for i in m.indices.reversed() {
                let cur = (rem << 32) | UInt64(m[i])
                m[i] = UInt32(cur / 1_000_000_000)
                rem = cur % 1_000_000_000
            }
            while m.last == 0 { m.removeLast() }
            chunks.append(UInt32(rem))
        }
        var text = negative ? "-" : ""
        text += String(chunks.last!)
        for c in chunks.dropLast().reversed() {
            let s = String(c)
            text += String(repeating: "0", count: 9 - s.count) + s
        }
        return text
    }

    /// Python 3.11+ refuses str() of an int past 4,300 decimal digits (sys.get_int_max_str_digits()),
    /// which also keeps a million-bit value from taking minutes to print.
    static let maxStringDigits = 4300

    /// `decimal`, or Python's ValueError when it would exceed `maxStringDigits`.
    func checkedDecimal() throws -> String {
        // 2**14284 < 10**4300 <= 2**14285: only values near the bound need their digits counted.
        if bitWidth > 14284 {
            let text = bitWidth > 14300 ? nil : decimal
            if text == nil || text!.count - (negative ? 1 : 0) > Self.maxStringDigits {
                throw EvalError.runtime("Exceeds the limit (\(Self.maxStringDigits) digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit")
            }
            return text!
        }
        return decimal
    }

    /// Magnitude digits in radix 2, 8 or 16 (lowercase).
    func magnitudeDigits(radix: Int) -> String {
        if isZero { return "0" }
        let bitsPerDigit = radix == 2 ? 1 : radix == 8 ? 3 : 4
        var out: [Character] = []
        var bit = 0
        let n = bitWidth
        while bit < n {
            var d = 0
            for k in 0..<bitsPerDigit where bit + k < n && limbs[(bit + k) / 32] >> UInt32((bit + k) % 32) & 1 == 1 { d |= 1 << k }
            out.append(Character(String(d, radix: 16)))
            bit += bitsPerDigit
        }
        return String(out.reversed())
    }

    // MARK: magnitudes

    private static func compareMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in a.indices.reversed() where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }

    private static func addMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(max(a.count, b.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<max(a.count, b.count) {
            let t = UInt64(i < a.count ? a[i] : 0) + UInt64(i < b.count ? b[i] : 0) + carry
            out.append(UInt32(truncatingIfNeeded: t))
            carry = t >> 32
        }
        if carry != 0 { out.append(UInt32(carry)) }
        return out
    }

    /// a - b for a >= b.
    private static func subtractMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = a
        var borrow: Int64 = 0
        for i in out.indices {
            var t = Int64(out[i]) - Int64(i < b.count ? b[i] : 0) - borrow
            if t < 0 { t += 1 << 32; borrow = 1 } else { borrow = 0 }
            out[i] = UInt32(t)
        }
        return out
    }

    /// Truncating division of magnitudes: by a single limb directly, otherwise bit by bit.
    private static func divideMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> ([UInt32], [UInt32]) {
        if compareMagnitudes(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            let d = UInt64(b[0])
            var q = a
            var rem: UInt64 = 0
            for i in q.indices.reversed() {
                let cur = (rem << 32) | UInt64(q[i])
                q[i] = UInt32(cur / d)
                rem = cur % d
            }
            return (q, rem == 0 ? [] : [UInt32(rem)])
        }
        let divisor = BigInt(negative: false, limbs: b)
        var q = [UInt32](repeating: 0, count: a.count)
        var r = BigInt(0)
        let n = BigInt(negative: false, limbs: a).bitWidth
        for bit in stride(from: n - 1, through: 0, by: -1) {
            r = r.shiftedLeft(1)
            if a[bit / 32] >> UInt32(bit % 32) & 1 == 1 { r = r + BigInt(1) }
            if compareMagnitudes(r.limbs, divisor.limbs) >= 0 {
                r = BigInt(negative: false, limbs: subtractMagnitudes(r.limbs, divisor.limbs))
                q[bit / 32] |= 1 << UInt32(bit % 32)
            }
        }
        return (q, r.limbs)
    }
}
