extension Array where Element == UInt8 {
    /// Appends `bytes` after their count as a big-endian UInt64: the framing of the material hashed for a
    /// derived key or a canonical encoding, so that two different field lists never encode alike.
    public mutating func appendLengthPrefixed(_ bytes: [UInt8]) {
        Swift.withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { append(contentsOf: $0) }
        append(contentsOf: bytes)
    }
}
