/// Byte layouts of pack files and their indexes (all integers little-endian).
///
/// Pack: `TBPACK1\n`, then entries `digest (32) | length (u64) | bytes`, so a pack can be walked and
/// checked without its index. Index (`<name>.pack.idx`): `TBPIDX1\n`, then entries
/// `digest (32) | payload offset (u64) | length (u64)` sorted by digest, then the SHA-256 of all the
/// preceding bytes, so a damaged index is recognised as a whole instead of pointing at wrong bytes.
enum PackFormat {
    static let packMagic = Array("TBPACK1\n".utf8)
    static let indexMagic = Array("TBPIDX1\n".utf8)
    static let entryHeaderSize = Digest.byteCount + 8
    static let indexEntrySize = Digest.byteCount + 16
    static let packSuffix = ".pack"
    static let indexSuffix = ".pack.idx"

    static func entryHeader(_ digest: Digest, length: Int) -> [UInt8] {
        var header = digest.bytes
        appendUInt64(UInt64(length), to: &header)
        return header
    }

    /// Parses an entry header; nil when the bytes cannot be one.
    static func parseEntryHeader(_ bytes: ArraySlice<UInt8>) -> (digest: Digest, length: Int64)? {
        guard bytes.count == entryHeaderSize,
              let digest = Digest(bytes: Array(bytes.prefix(Digest.byteCount))) else { return nil }
        let length = readUInt64(bytes, at: bytes.startIndex + Digest.byteCount)
        guard length <= UInt64(Int64.max) else { return nil }
        return (digest, Int64(length))
    }

    static func encodeIndex(_ entries: [(digest: Digest, offset: Int64, length: Int64)]) -> [UInt8] {
        var entries = entries
        entries.sort { $0.digest < $1.digest }
        var bytes = indexMagic
        bytes.reserveCapacity(indexMagic.count + entries.count * indexEntrySize + Digest.byteCount)
        for entry in entries {
            bytes += entry.digest.bytes
            appendUInt64(UInt64(entry.offset), to: &bytes)
            appendUInt64(UInt64(entry.length), to: &bytes)
        }
        bytes += Digest.of(bytes).bytes
        return bytes
    }

    /// Whether `bytes` are a whole, undamaged index (magic, whole entries, matching checksum).
    static func isIntactIndex(_ bytes: [UInt8]) -> Bool {
        let body = bytes.count - Digest.byteCount
        return body >= indexMagic.count && (body - indexMagic.count) % indexEntrySize == 0
            && Array(bytes[..<indexMagic.count]) == indexMagic
            && Digest.of(bytes[..<body]).bytes == Array(bytes[body...])
    }

    /// The entries of an index file for pack `pack`; nil when the file is damaged.
    static func decodeIndex(_ bytes: [UInt8], pack: String) -> [Digest: PackLocation]? {
        guard isIntactIndex(bytes) else { return nil }
        let body = bytes.count - Digest.byteCount
        var entries = [Digest: PackLocation]()
        var position = indexMagic.count
        while position < body {
            let digest = Digest(bytes: Array(bytes[position..<(position + Digest.byteCount)]))!
            let offset = readUInt64(bytes[...], at: position + Digest.byteCount)
            let length = readUInt64(bytes[...], at: position + Digest.byteCount + 8)
            guard offset <= UInt64(Int64.max), length <= UInt64(Int64.max) else { return nil }
            entries[digest] = PackLocation(pack: pack, offset: Int64(offset), length: Int64(length))
            position += indexEntrySize
        }
        return entries
    }

    static func appendUInt64(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    static func readUInt64(_ bytes: ArraySlice<UInt8>, at start: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[start + i]) << UInt64(8 * i) }
        return value
    }
}
