/// HMAC-SHA256 (RFC 2104) over the cache's incremental SHA-256: keyed integrity for action records, the
/// stamp file and sealed blobs. Not copyable: it owns two hash contexts.
public struct HMACSHA256: ~Copyable {
    private var inner = SHA256Hasher()
    private var outerPad: [UInt8]

    /// `key` is used as is when at most 64 bytes (the block size), else hashed first.
    public init(key: [UInt8]) {
        var block = key.count > 64 ? Digest.of(key).bytes : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        inner.update(block.map { $0 ^ 0x36 })
        outerPad = block.map { $0 ^ 0x5c }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { inner.update(bytes) }
    public mutating func update(_ bytes: [UInt8]) { inner.update(bytes) }

    public consuming func finalize() -> Digest {
        var outer = SHA256Hasher()
        outer.update(outerPad)
        inner.finalize().withUnsafeBytes { outer.update($0) }
        return outer.finalize()
    }

    public static func mac(key: [UInt8], _ message: [UInt8]) -> Digest {
        var hmac = HMACSHA256(key: key)
        hmac.update(message)
        return hmac.finalize()
    }

    /// HKDF-SHA256 (RFC 5869), extract then expand to 32 bytes: independent keys from one secret, one
    /// per purpose (`info`), so a key used to authenticate records is never also an encryption key.
    public static func hkdf(secret: [UInt8], salt: [UInt8], info: [UInt8]) -> [UInt8] {
        let pseudoRandomKey = mac(key: salt, secret).bytes
        return mac(key: pseudoRandomKey, info + [1]).bytes
    }
}

extension Digest {
    /// Compares in time independent of where the digests differ (for MACs).
    public func constantTimeEquals(_ other: Digest) -> Bool {
        let left = bytes
        let right = other.bytes
        var difference: UInt8 = 0
        for i in 0..<Digest.byteCount { difference |= left[i] ^ right[i] }
        return difference == 0
    }
}
