/// Textual IP address and CIDR checks (Go's `netip.ParseAddr` / `ParsePrefix`, without zones).
enum IPAddressSyntax {
    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit) else { return false }
            if part.count > 1 && part.first == "0" { return false }
            return Int(part)! <= 255
        }
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
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = Int(parts[1]), parts[1].allSatisfy(\.isASCIIDigit), !parts[1].isEmpty else { return false }
        let address = String(parts[0])
        if isIPv4(address) { return bits <= 32 }
        if isIPv6(address) { return bits <= 128 }
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
