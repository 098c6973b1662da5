/// Textual IP address and CIDR checks (Go's `netip.ParseAddr` / `ParsePrefix`, without zones).
enum IPAddressSyntax {
    static func isIPv4(_ text: String) -> Bool { isIPv4(text.utf8[...]) }

    /// Four dot-separated decimal parts, each 0–255 without a leading zero, checked byte by byte (every
    /// node's address is checked while a talconfig is read).
    static func isIPv4(_ bytes: Substring.UTF8View) -> Bool {
        var dots = 0, digits = 0, value = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return false }
                dots += 1
                digits = 0
                value = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            // A second digit after a leading "0" (Go refuses leading zeros).
            if digits == 1 && value == 0 { return false }
            digits += 1
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            guard digits <= 3, value <= 255 else { return false }
        }
        return dots == 3 && digits > 0
    }

    static func isIPv6(_ text: String) -> Bool {
        guard text.utf8.contains(UInt8(ascii: ":")), !text.utf8.contains(UInt8(ascii: "%")) else { return false }
        var groups = text.components(separatedByString: "::")
        guard groups.count <= 2 else { return false }
        var count = 0
        var sawIPv4Tail = false
        for (index, group) in groups.enumerated() where !group.isEmpty {
            let fields = group.split(separator: ":", omittingEmptySubsequences: false)
            for (fieldIndex, field) in fields.enumerated() {
                if fieldIndex == fields.count - 1 && index == groups.count - 1 && field.utf8.contains(UInt8(ascii: ".")) {
                    guard isIPv4(String(field)) else { return false }
                    count += 2
                    sawIPv4Tail = true
                    continue
                }
                guard !field.isEmpty, field.count <= 4, field.allSatisfy(\.isHexDigit) else { return false }
                count += 1
            }
        }
        _ = sawIPv4Tail
        if groups.count == 2 { return count < 8 }
        groups.removeAll()
        return count == 8
    }

    static func isIP(_ text: String) -> Bool { isIPv4(text) || isIPv6(text) }

    /// `ADDRESS/BITS` with BITS in range for the family.
    static func isCIDR(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")) else { return false }
        let bitsText = utf8[utf8.index(after: slash)...]
        guard !bitsText.isEmpty else { return false }
        // Decimal digits only (leading zeros allowed, as `Int` reads them); the value saturates, since
        // anything above 128 is out of range for every family.
        var bits = 0
        for byte in bitsText {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            bits = min(bits * 10 + Int(byte - UInt8(ascii: "0")), 1_000)
        }
        let address = text[..<slash]
        if isIPv4(address.utf8) { return bits <= 32 }
        if isIPv6(String(address)) { return bits <= 128 }
        return false
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    /// Splits on a multi-character separator, keeping empty pieces.
    func components(separatedByString separator: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            pieces.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        pieces.append(String(rest))
        return pieces
    }
}
