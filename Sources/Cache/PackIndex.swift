/// One pack's index as read from disk, searched in place: entries are sorted by digest, so a lookup is
/// a binary search over the raw bytes and loading an index costs one read, not a parse of every entry.
struct PackIndex: Sendable {
    let pack: String
    private let bytes: [UInt8]
    let count: Int

    /// nil when the bytes are not an intact index (see `PackFormat`).
    init?(bytes: [UInt8], pack: String) {
        guard PackFormat.isIntactIndex(bytes) else { return nil }
        self.pack = pack
        self.bytes = bytes
        count = (bytes.count - Digest.byteCount - PackFormat.indexMagic.count) / PackFormat.indexEntrySize
    }

    func location(of digest: Digest) -> PackLocation? {
        var low = 0
        var high = count
        let key = digest.bytes
        while low < high {
            let middle = (low + high) / 2
            let start = PackFormat.indexMagic.count + middle * PackFormat.indexEntrySize
            switch compare(key, at: start) {
            case 0:
                let offset = PackFormat.readUInt64(bytes[...], at: start + Digest.byteCount)
                let length = PackFormat.readUInt64(bytes[...], at: start + Digest.byteCount + 8)
                guard offset <= UInt64(Int64.max), length <= UInt64(Int64.max) else { return nil }
                return PackLocation(pack: pack, offset: Int64(offset), length: Int64(length))
            case ..<0: high = middle
            default: low = middle + 1
            }
        }
        return nil
    }

    /// Negative when `key` sorts before the digest stored at `start`, 0 when equal.
    private func compare(_ key: [UInt8], at start: Int) -> Int {
        for i in 0..<Digest.byteCount where key[i] != bytes[start + i] {
            return key[i] < bytes[start + i] ? -1 : 1
        }
        return 0
    }
}
