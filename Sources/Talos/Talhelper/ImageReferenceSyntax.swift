/// distribution/reference's reference grammar, `[domain/]path[:tag][@digest]` (its `ReferenceRegexp`),
/// matched over UTF-8 bytes: the validator checks every node's `talosImageURL` with it, and compiling the
/// equivalent regular expression per node cost more than the rest of reading a talconfig.
///
/// Accepts exactly what the anchored pattern `^(?:(DOMAIN)/)?(PATH(?:/PATH)*)(?::TAG)?(?:@DIGEST)?$`
/// accepts under ICU (the engine the validator used before), including ICU's `$` matching before one
/// final line terminator.
enum ImageReferenceSyntax {
    static func matches(_ reference: String) -> Bool {
        var bytes = Array(reference.utf8)[...]
        dropFinalLineTerminator(&bytes)
        let name: ArraySlice<UInt8>
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")) {
            guard isDigest(bytes[(at + 1)...]) else { return false }
            name = bytes[..<at]
        } else {
            name = bytes
        }
        // The domain, when there is one, is everything before the first `/` (none of its characters is a `/`);
        // the pattern tries it first and falls back to a name without one.
        if let slash = name.firstIndex(of: UInt8(ascii: "/")), isDomain(name[..<slash]), isPathAndTag(name[(slash + 1)...]) {
            return true
        }
        return isPathAndTag(name)
    }

    /// ICU's `$` (without multi-line mode) also matches before a line terminator that ends the input.
    private static func dropFinalLineTerminator(_ bytes: inout ArraySlice<UInt8>) {
        let count = bytes.count
        func endsWith(_ suffix: [UInt8]) -> Bool { count >= suffix.count && bytes.suffix(suffix.count).elementsEqual(suffix) }
        if endsWith([0x0D, 0x0A]) || endsWith([0xC2, 0x85]) {  // CR LF; U+0085
            bytes.removeLast(2)
        } else if endsWith([0xE2, 0x80, 0xA8]) || endsWith([0xE2, 0x80, 0xA9]) {  // U+2028, U+2029
            bytes.removeLast(3)
        } else if let last = bytes.last, (0x0A...0x0D).contains(last) {
            bytes.removeLast(1)
        }
    }

    /// `PATH(?:/PATH)*(?::TAG)?`: a tag holds neither `/` nor `:`, a path component no `:`.
    private static func isPathAndTag(_ bytes: ArraySlice<UInt8>) -> Bool {
        var path = bytes
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            guard isTag(bytes[(colon + 1)...]) else { return false }
            path = bytes[..<colon]
        }
        return path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy(isPathComponent)
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`: lower-case alphanumeric runs joined by `.`, `_`, `__` or dashes.
    private static func isPathComponent(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if isLowerAlphanumeric(bytes[index]) {
                index += 1
                continue
            }
            let start = index
            while index < bytes.endIndex, !isLowerAlphanumeric(bytes[index]) { index += 1 }
            let separator = bytes[start..<index]
            let valid = separator.elementsEqual([UInt8(ascii: ".")]) || separator.elementsEqual([UInt8(ascii: "_")])
                || separator.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")]) || separator.allSatisfy { $0 == UInt8(ascii: "-") }
            guard valid else { return false }
        }
        return true
    }

    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    private static func isTag(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, bytes.count <= 128, isAlphanumeric(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}`.
    private static func isDigest(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let hex = bytes[(colon + 1)...]
        guard hex.count >= 32, hex.allSatisfy(isHexDigit) else { return false }
        var expectingLetter = true
        for byte in bytes[..<colon] {
            if expectingLetter {
                guard isLetter(byte) else { return false }
                expectingLetter = false
            } else if [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: ".")].contains(byte) {
                expectingLetter = true
            } else if !isAlphanumeric(byte) {
                return false
            }
        }
        return !expectingLetter
    }

    /// Host name labels joined by dots or a bracketed IPv6 address, then an optional `:port`.
    private static func isDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        var host = bytes
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let address = bytes[(bytes.startIndex + 1)..<close]
            guard !address.isEmpty, address.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") }) else { return false }
            return isOptionalPort(bytes[(close + 1)...])
        }
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            guard isOptionalPort(bytes[colon...]) else { return false }
            host = bytes[..<colon]
        }
        return host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
            return label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// Nothing, or `:` and one or more digits.
    private static func isOptionalPort(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first else { return true }
        let digits = bytes.dropFirst()
        return first == UInt8(ascii: ":") && !digits.isEmpty && digits.allSatisfy { (0x30...0x39).contains($0) }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
    private static func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte | 0x20) }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || (0x30...0x39).contains(byte) }
    private static func isHexDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte | 0x20) }
}
