/// A strict DER reader (X.690): definite lengths in minimal form, every element inside its parent's bounds.
/// Enough to walk certificates and private keys without OpenSSL's generic decoders, whose set-up costs far
/// more than the keys themselves.
struct DER {
    struct Element {
        var tag: UInt8
        /// The contents octets, as indices into the reader's bytes.
        var contents: Range<Int>
        /// The whole element (tag, length and contents).
        var whole: Range<Int>
    }

    static let sequence: UInt8 = 0x30
    static let integer: UInt8 = 0x02
    static let bitString: UInt8 = 0x03
    static let octetString: UInt8 = 0x04
    static let objectIdentifier: UInt8 = 0x06

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        end = bytes.count
    }

    /// A reader over the contents of `element` (read from this reader's bytes).
    func children(of element: Element) -> DER { DER(bytes, range: element.contents) }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { position == end }

    /// The next element's tag without consuming it.
    var nextTag: UInt8? { position < end ? bytes[position] : nil }

    /// Reads the next element; nil when it is malformed or does not have `tag` (if given).
    mutating func read(_ tag: UInt8? = nil) -> Element? {
        let start = position
        guard end - start >= 2 else { return nil }
        let actualTag = bytes[start]
        // Single-byte tags only: every structure read here uses them.
        guard actualTag & 0x1f != 0x1f, tag == nil || actualTag == tag else { return nil }
        var index = start + 1
        let first = bytes[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7f)
            guard count >= 1, count <= 3, end - index >= count, bytes[index] != 0 else { return nil }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
            guard length >= 0x80 else { return nil }   // not the minimal form
        }
        guard end - index >= length else { return nil }
        position = index + length
        return Element(tag: actualTag, contents: index..<(index + length), whole: start..<(index + length))
    }

    func slice(_ range: Range<Int>) -> ArraySlice<UInt8> { bytes[range] }

    /// One element: tag, definite length (minimal form), contents.
    static func encode(_ tag: UInt8, _ contents: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [tag]
        let count = contents.count
        if count < 0x80 {
            out.append(UInt8(count))
        } else {
            var lengthBytes: [UInt8] = []
            var remaining = count
            while remaining > 0 {
                lengthBytes.insert(UInt8(remaining & 0xff), at: 0)
                remaining >>= 8
            }
            out.append(0x80 | UInt8(lengthBytes.count))
            out += lengthBytes
        }
        return out + contents
    }

    /// A positive INTEGER's magnitude without its sign octet; nil for negative or non-minimal encodings.
    func unsignedInteger(_ element: Element) -> ArraySlice<UInt8>? {
        guard element.tag == Self.integer, !element.contents.isEmpty else { return nil }
        var value = bytes[element.contents]
        guard value.first! & 0x80 == 0 else { return nil }
        if value.count > 1, value.first == 0 {
            guard value[value.startIndex + 1] & 0x80 != 0 else { return nil }
            value = value.dropFirst()
        }
        return value
    }

    /// A BIT STRING's bits, which must be whole octets (as keys are).
    func octetAlignedBits(_ element: Element) -> ArraySlice<UInt8>? {
        guard element.tag == Self.bitString, !element.contents.isEmpty, bytes[element.contents.lowerBound] == 0 else { return nil }
        return bytes[element.contents].dropFirst()
    }
}

/// The object identifiers the Talos key types use, DER contents octets.
enum KnownOID {
    /// 1.3.101.112
    static let ed25519: [UInt8] = [0x2b, 0x65, 0x70]
    /// 1.2.840.10045.2.1
    static let ecPublicKey: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]
    /// 1.2.840.10045.3.1.7 (P-256)
    static let prime256v1: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]
}
