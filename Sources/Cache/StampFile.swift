import FoundationEssentials
import Glibc

/// A stamp file opened for reading: a descriptor and where each group's record lies. Records are read
/// (and their MAC checked) only when asked for, one at a time, so a run over 100,000 clusters holds a
/// small index rather than the file's hundreds of megabytes.
///
/// The index is keyed by a 64-bit hash of the group rather than the group itself; a record's group is
/// compared when it is read, so a collision only means one of the two groups has no stamp (the later
/// record wins), never that one group's stamp answers for another.
public final class StampFile: Sendable {
    public static let empty = StampFile()

    private let fd: Int32
    private let path: String
    private let key: CacheKey?
    private let index: [UInt64: Location]
    /// False when the file was there but is not a whole stamp file of this version.
    let intact: Bool

    struct Location: Sendable {
        var offset: Int64
        /// The sealed record's size: prefix, body and MAC.
        var size: Int32
    }

    private init() {
        fd = -1
        path = ""
        key = nil
        index = [:]
        intact = true
    }

    /// Takes `fd` (closed with this value); empty when the file is not a whole stamp file of this version.
    init(fd: Int32, path: String, key: CacheKey?) {
        self.fd = fd
        self.path = path
        self.key = key
        let index = Self.index(fd: fd, path: path)
        self.index = index ?? [:]
        intact = index != nil
    }

    deinit { if fd >= 0 { close(fd) } }

    static func key(_ group: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in group {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func key(_ group: String) -> UInt64 { FNV1a.hash(group) }

    /// Walks the records' length prefixes and groups (no MAC is checked here); nil unless the file has the
    /// magic and its records end exactly at its end.
    private static func index(fd: Int32, path: String) -> [UInt64: Location]? {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size >= StampFileFormat.headerSize else {
            return nil
        }
        var header = [UInt8](repeating: 0, count: StampFileFormat.headerSize)
        guard (try? header.withUnsafeMutableBytes({ try FileIO.read(fd, into: $0, path: path) })) == header.count,
              header[..<StampFileFormat.magic.count].elementsEqual(StampFileFormat.magic) else { return nil }
        let count = header.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: StampFileFormat.magic.count, as: UInt32.self))) }
        var reader = RecordStreamReader(fd: fd, path: path, offset: header.count, size: Int(info.st_size),
                                        trailer: StampFileFormat.macSize)
        var index: [UInt64: Location] = [:]
        index.reserveCapacity(min(count, 1 << 20))
        for _ in 0..<count {
            let offset = reader.offset
            guard let sealed = try? reader.next(), sealed.count <= Int(Int32.max),
                  let group = StampFileFormat.group(of: UnsafeRawBufferPointer(rebasing: sealed.dropLast(StampFileFormat.macSize)))
            else { return nil }
            index[key(group)] = Location(offset: Int64(offset), size: Int32(sealed.count))
        }
        return reader.atEnd ? index : nil
    }

    public var count: Int { index.count }
    public var isEmpty: Bool { index.isEmpty }

    /// The groups of the records whose MAC holds (each record is read).
    public var groups: [String] {
        index.values.compactMap { location in
            read(location) { record in StampFileFormat.group(of: record).map { String(decoding: $0, as: UTF8.self) } } ?? nil
        }
    }

    /// Reads a record and hands its bytes (length prefix and body) to `body` when its MAC holds.
    private func read<T>(_ location: Location, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        let size = Int(location.size)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        var done = 0
        while done < size {
            let n = pread(fd, buffer.baseAddress! + done, size - done, off_t(location.offset) + off_t(done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            done += n
        }
        guard let record = StampFileFormat.open(UnsafeRawBufferPointer(buffer), key: key) else { return nil }
        return try body(record)
    }

    /// The record of `group` (prefix and body) when there is one whose MAC holds and that is for `group`.
    private func record<T>(ofGroup group: String, _ body: (UnsafeRawBufferPointer) throws -> T?) rethrows -> T? {
        guard let location = index[Self.key(group)] else { return nil }
        return try read(location) { record -> T? in
            guard let stored = StampFileFormat.group(of: record), group.utf8.elementsEqual(stored) else { return nil }
            return try body(record)
        } ?? nil
    }

    /// The stamp of `group`, if there is one that decodes.
    public func stamp(forGroup group: String) -> Stamp? {
        record(ofGroup: group) { StampFileFormat.decode($0) }
    }

    /// Whether the stamp of `group` still holds, checked in place (see `StampFileFormat.verify`); nil when
    /// there is none or it does not hold.
    public func verify(group: String, configuration: Digest, nowNanoseconds: Int64, names: [String], withOutputs: Bool,
                       state: (UnsafePointer<CChar>, Bool) -> FileState?) -> StampCheck? {
        record(ofGroup: group) { record in
            StampFileFormat.verify(record, configuration: configuration, nowNanoseconds: nowNanoseconds, names: names,
                                   withOutputs: withOutputs, state: state)
        }
    }

    /// The record of `group` with its last-use refresh time set to `seconds` (no MAC, ready for
    /// `StampSpill.add(record:)`) and its actions' keys; nil when there is no such stamp.
    public func refreshed(group: String, seconds: Int64) -> (record: [UInt8], keys: [Digest])? {
        record(ofGroup: group) { record -> (record: [UInt8], keys: [Digest])? in
            guard let stamp = StampFileFormat.decode(record) else { return nil }
            var bytes = Array(record)
            let offset = StampFileFormat.refreshedOffset(groupLength: group.utf8.count)
            withUnsafeBytes(of: UInt64(bitPattern: seconds).littleEndian) { value in
                for (index, byte) in value.enumerated() { bytes[offset + index] = byte }
            }
            return (bytes, stamp.actions.map(\.key))
        }
    }

    /// Streams the sealed records (MAC included, copied as they are) of groups not in `excluding`, in file order.
    func forEachRecord(excluding: Set<String>, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let excluded = Set(excluding.map(Self.key))
        let kept = index.filter { !excluded.contains($0.key) }.values.sorted { $0.offset < $1.offset }
        var buffer = [UInt8]()
        for location in kept {
            let size = Int(location.size)
            if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
            let complete = buffer.withUnsafeMutableBytes { raw -> Bool in
                var done = 0
                while done < size {
                    let n = pread(fd, raw.baseAddress! + done, size - done, off_t(location.offset) + off_t(done))
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { return false }
                    done += n
                }
                return true
            }
            guard complete else { throw CacheError.io(operation: "read", path: path, errno: errno) }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<size])) }
        }
    }

    /// How many groups are kept by `forEachRecord(excluding:)`.
    func count(excluding: Set<String>) -> Int {
        let excluded = Set(excluding.map(Self.key))
        return index.keys.reduce(0) { $0 + (excluded.contains($1) ? 0 : 1) }
    }

    /// How many records fail their MAC or do not decode (for `cache verify`).
    func damagedRecords() -> Int {
        index.values.reduce(0) { count, location in
            count + ((read(location) { StampFileFormat.decode($0) != nil } ?? false) ? 0 : 1)
        }
    }
}

/// What a stamp that holds says: its actions' keys and outputs (in the order asked for), and when its
/// last-use times were refreshed.
public struct StampCheck: Sendable {
    public var keys: [Digest]
    public var outputs: [[OutputEntry]]
    public var refreshedSeconds: Int64
}
