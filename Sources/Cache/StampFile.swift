import Foundation

/// A stamp file as read: its bytes and where each group's record lies. Records are decoded only when asked
/// for, so a run over 10,000 clusters holds ~15 MB of bytes rather than 10,000 decoded stamps.
public struct StampFile: Sendable {
    public static let empty = StampFile(bytes: [], index: [:])

    let bytes: [UInt8]
    let index: [String: Range<Int>]

    /// Reads `bytes`; empty when they are not a whole, intact stamp file.
    init(bytes: [UInt8]) {
        guard let index = StampFileFormat.index(bytes) else {
            self = .empty
            return
        }
        self.init(bytes: bytes, index: index)
    }

    private init(bytes: [UInt8], index: [String: Range<Int>]) {
        self.bytes = bytes
        self.index = index
    }

    public var count: Int { index.count }
    public var isEmpty: Bool { index.isEmpty }
    public var groups: some Collection<String> { index.keys }

    /// The stamp of `group`, if there is one that decodes.
    public func stamp(forGroup group: String) -> Stamp? {
        guard let range = index[group] else { return nil }
        return StampFileFormat.decode(bytes[range])
    }

    /// The records of the file with `records` set (replacing records of the same groups) and `removing`
    /// gone, ordered by group so the same stamps always give the same file; untouched records are not copied.
    func updating(_ records: [StampRecord], removing: Set<String>) -> [ArraySlice<UInt8>] {
        var merged: [String: ArraySlice<UInt8>] = [:]
        merged.reserveCapacity(index.count + records.count)
        for (group, range) in index where !removing.contains(group) { merged[group] = bytes[range] }
        for record in records { merged[record.group] = record.bytes[...] }
        return merged.sorted { $0.key < $1.key }.map(\.value)
    }
}

/// One stamp, encoded (what a run keeps until it writes the stamp file).
public struct StampRecord: Sendable {
    public let group: String
    let bytes: [UInt8]

    public init(_ stamp: Stamp) {
        group = stamp.group
        bytes = StampFileFormat.encode(stamp)
    }
}
