/// The parts of Go's `strconv` number syntax that yaml.v3's resolver relies on, over underscore-free bytes.
enum GoNumberSyntax {
    /// strconv.ParseInt(s, 0, 64) succeeds: optional sign, base prefix 0x/0o/0b (needs a digit after it),
    /// a leading 0 meaning octal, and the value fits in Int64.
    static func parsesAsInt64(_ s: [UInt8]) -> Bool {
        guard !s.isEmpty else { return false }
        var negative = false
        var body = s[...]
        if s[0] == UInt8(ascii: "+") || s[0] == UInt8(ascii: "-") {
            negative = s[0] == UInt8(ascii: "-")
            body = s.dropFirst()
        }
        guard let magnitude = parseUnsigned(body) else { return false }
        return negative ? magnitude <= UInt64(Int64.max) + 1 : magnitude <= UInt64(Int64.max)
    }

    /// strconv.ParseUint(s, 0, 64) succeeds (no sign allowed).
    static func parsesAsUInt64(_ s: [UInt8]) -> Bool {
        parseUnsigned(s[...]) != nil
    }

    private static func parseUnsigned(_ input: ArraySlice<UInt8>) -> UInt64? {
        guard !input.isEmpty else { return nil }
        var s = input
        var base: UInt64 = 10
        if s.first == UInt8(ascii: "0") {
            let second = s.count >= 3 ? s[s.startIndex + 1] | 0x20 : 0
            switch second {
            case UInt8(ascii: "x"): base = 16; s = s.dropFirst(2)
            case UInt8(ascii: "o"): base = 8; s = s.dropFirst(2)
            case UInt8(ascii: "b"): base = 2; s = s.dropFirst(2)
            default: base = 8; s = s.dropFirst()
            }
        }
        var value: UInt64 = 0
        for c in s {
            let digit: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < base else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: base)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// yaml.v3's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
    static func matchesYAMLFloatPattern(_ s: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < s.count, ScalarResolver.isDigit(s[i]) { i += 1 }
            return i - start
        }
        if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if i < s.count, s[i] == UInt8(ascii: ".") {
                i += 1
                _ = digits()
            }
        }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == s.count
    }

    /// strconv.ParseFloat fails with ErrRange when the value overflows to ±Inf (`1e400`); yaml.v3 then
    /// keeps the scalar a string.
    static func floatIsFinite(_ s: [UInt8]) -> Bool {
        guard let value = Double(String(decoding: s, as: UTF8.self)) else { return false }
        return value.isFinite
    }
}
