/// Standard-alphabet base64, with and without padding, strict about non-canonical input
/// (age rejects padding in headers and non-zero trailing bits; SOPS writes padded base64).
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

    static func encode(_ bytes: some Collection<UInt8>, padded: Bool = true) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next(), b2 = iterator.next()
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            if let b1 {
                out.append(alphabet[Int((b1 & 0x0f) << 2 | (b2 ?? 0) >> 6)])
            } else if padded { out.append(UInt8(ascii: "=")) }
            if let b2 {
                out.append(alphabet[Int(b2 & 0x3f)])
            } else if padded { out.append(UInt8(ascii: "=")) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes; `padded` says whether input must carry `=` padding (true) or must not (false).
    /// `strict` rejects non-zero leftover bits (age); Go's default decoder, which sops uses, ignores them.
    static func decode(_ text: some StringProtocol, padded: Bool, strict: Bool = true) -> [UInt8]? {
        decode(Array(text.utf8), padded: padded, strict: strict)
    }

    /// The same over the text's UTF-8 bytes.
    static func decode(_ text: [UInt8], padded: Bool, strict: Bool = true) -> [UInt8]? {
        var bytes = text
        if padded {
            guard bytes.count % 4 == 0 else { return nil }
            var padding = 0
            while padding < 2, bytes.last == UInt8(ascii: "=") { bytes.removeLast(); padding += 1 }
        }
        guard bytes.count % 4 != 1 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value = reverse[Int(byte)]
            guard value >= 0 else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Leftover bits must be zero for a canonical encoding.
        guard !strict || accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }
}
