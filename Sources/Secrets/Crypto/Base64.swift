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
        var count = text.count
        if padded {
            guard count % 4 == 0 else { return nil }
            var padding = 0
            while padding < 2, count > 0, text[count - 1] == UInt8(ascii: "=") { count -= 1; padding += 1 }
        }
        guard count % 4 != 1 else { return nil }
        // Four characters at a time into three bytes, through the table by pointer: SOPS files hold
        // kilobytes of base64 per cluster, and per-byte appends with bounds checks showed in profiles.
        let whole = count / 4 * 3
        let tail = count % 4 == 0 ? 0 : count % 4 - 1
        var out = [UInt8](repeating: 0, count: whole + tail)
        let valid = text.withUnsafeBufferPointer { input in
            reverse.withUnsafeBufferPointer { table in
                out.withUnsafeMutableBufferPointer { output -> Bool in
                    var written = 0
                    var index = 0
                    while index + 4 <= count {
                        let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                        let c = table[Int(input[index + 2])], d = table[Int(input[index + 3])]
                        guard a | b | c | d >= 0 else { return false }
                        let word = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                        output[written] = UInt8(truncatingIfNeeded: word >> 16)
                        output[written + 1] = UInt8(truncatingIfNeeded: word >> 8)
                        output[written + 2] = UInt8(truncatingIfNeeded: word)
                        written += 3
                        index += 4
                    }
                    guard tail > 0 else { return true }
                    // Two or three characters left: one or two bytes, and 4 or 2 bits that must be zero when strict.
                    let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                    let c = tail == 2 ? table[Int(input[index + 2])] : 0
                    guard a | b | c >= 0 else { return false }
                    let word = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                    output[written] = UInt8(truncatingIfNeeded: word >> 16)
                    if tail == 2 { output[written + 1] = UInt8(truncatingIfNeeded: word >> 8) }
                    let leftover = tail == 2 ? word & 0xff : word & 0xffff
                    return !strict || leftover == 0
                }
            }
        }
        return valid ? out : nil
    }
}
