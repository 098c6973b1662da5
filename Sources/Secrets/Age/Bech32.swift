/// Bech32 (BIP 173) as age uses it: no length limit, single-case strings, checksum verified.
enum Bech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let generator: [UInt32] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

    enum Failure: Error, Equatable {
        case mixedCase, noSeparator, invalidCharacter, badChecksum, badPadding
    }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ffffff) << 5 ^ UInt32(value)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { checksum ^= generator[i] }
        }
        return checksum
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    private static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) throws -> [UInt8] {
        var accumulator = 0, bits = 0
        var out = [UInt8]()
        let maxValue = (1 << to) - 1
        for value in data {
            accumulator = accumulator << from | Int(value)
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        } else if bits >= from || (accumulator << (to - bits)) & maxValue != 0 {
            throw Failure.badPadding
        }
        return out
    }

    /// Lower-case encoding of `data` under `hrp`.
    static func encode(hrp: String, data: [UInt8]) -> String {
        let hrpBytes = Array(hrp.lowercased().utf8)
        let values = (try? convertBits(data, from: 8, to: 5, pad: true)) ?? []
        let mod = polymod(expand(hrpBytes) + values + [0, 0, 0, 0, 0, 0]) ^ 1
        let checksum = (0..<6).map { UInt8((mod >> UInt32(5 * (5 - $0))) & 31) }
        return String(decoding: hrpBytes + [UInt8(ascii: "1")] + (values + checksum).map { charset[Int($0)] }, as: UTF8.self)
    }

    /// Splits into the lower-cased human-readable part and the payload bytes.
    static func decode(_ text: String) throws -> (hrp: String, data: [UInt8]) {
        let bytes = Array(text.utf8)
        let hasLower = bytes.contains { $0 >= 97 && $0 <= 122 }, hasUpper = bytes.contains { $0 >= 65 && $0 <= 90 }
        if hasLower && hasUpper { throw Failure.mixedCase }
        let lower = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        guard let separator = lower.lastIndex(of: UInt8(ascii: "1")), separator >= 1, lower.count - separator - 1 >= 6
        else { throw Failure.noSeparator }
        let hrp = Array(lower[..<separator])
        guard hrp.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { throw Failure.invalidCharacter }
        var values = [UInt8]()
        for byte in lower[(separator + 1)...] {
            guard let index = charset.firstIndex(of: byte) else { throw Failure.invalidCharacter }
            values.append(UInt8(index))
        }
        guard polymod(expand(hrp) + values) == 1 else { throw Failure.badChecksum }
        let data = try convertBits(Array(values.dropLast(6)), from: 5, to: 8, pad: false)
        return (String(decoding: hrp, as: UTF8.self), data)
    }
}
