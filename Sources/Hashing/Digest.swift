/// A SHA-256 digest: 32 raw bytes, shown as 64 lowercase hex digits.
///
/// Held inline (four words, no heap buffer): a 10,000-cluster run keeps hundreds of thousands of them
/// (file states, keys, output manifests), and an array per digest cost an allocation and reference
/// counting each.
public struct Digest: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let byteCount = 32

    /// The bytes in order, as they lie in memory (word i holds bytes 8i..<8i+8).
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Wraps raw digest bytes; nil unless exactly 32 of them.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Digest.byteCount else { return nil }
        self.init(uncheckedBytes: bytes)
    }

    package init(uncheckedBytes bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { Digest(raw: $0) }
    }

    /// The first 32 bytes of `raw`.
    package init(raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= Digest.byteCount)
        words = (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// A digest filled in by `body` (32 bytes).
    package init(filling body: (UnsafeMutableRawBufferPointer) -> Void) {
        withUnsafeMutableBytes(of: &words) { body($0) }
    }

    /// The 32 bytes (a new array; `withUnsafeBytes` reads them in place).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: words) { try body($0) }
    }

    /// Parses 64 hex digits (either case).
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == Digest.byteCount * 2 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Digest.byteCount)
        var index = 0
        while index < utf8.count {
            guard let high = Digest.nibble(utf8[index]), let low = Digest.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(uncheckedBytes: bytes)
    }

    public static func == (lhs: Digest, rhs: Digest) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(Digest.byteCount * 2)
        withUnsafeBytes { bytes in
            for byte in bytes {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    /// Byte-wise order: each word read big-endian compares as its eight bytes do.
    public static func < (lhs: Digest, rhs: Digest) -> Bool {
        if lhs.words.0 != rhs.words.0 { return UInt64(bigEndian: lhs.words.0) < UInt64(bigEndian: rhs.words.0) }
        if lhs.words.1 != rhs.words.1 { return UInt64(bigEndian: lhs.words.1) < UInt64(bigEndian: rhs.words.1) }
        if lhs.words.2 != rhs.words.2 { return UInt64(bigEndian: lhs.words.2) < UInt64(bigEndian: rhs.words.2) }
        return UInt64(bigEndian: lhs.words.3) < UInt64(bigEndian: rhs.words.3)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension Digest: Codable {
    /// Encoded as its hex string, which reads well in JSON manifests.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let digest = Digest(hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected 64 hex digits, found \"\(text)\"")
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

extension Digest {
    /// SHA-256 of bytes held in memory.
    public static func of(_ bytes: some Collection<UInt8>) -> Digest {
        var hasher = SHA256Hasher()
        if bytes.withContiguousStorageIfAvailable({ hasher.update(UnsafeRawBufferPointer($0)) }) == nil {
            hasher.update(Array(bytes))
        }
        return hasher.finalize()
    }

    /// SHA-256 of a string's UTF-8 bytes.
    public static func of(_ string: String) -> Digest {
        of(Array(string.utf8))
    }
}
