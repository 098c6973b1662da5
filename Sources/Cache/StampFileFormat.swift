import FoundationEssentials
import Glibc

/// The bytes of the stamp file (`<cache>/stamps`): little-endian binary.
///
///     "TBSTAMP3"  record count (u32)  records
///     record: length (u32), then  group  configuration(32)  validUntil(i64)  refreshed(i64)
///             file count, per file: path  device inode size mtime ctime (u64/i64)
///             action count, per action: name  key(32)  output count, per output: path digest(32) mode(u32) size(i64)
///             then its MAC (32, not counted in the length)
///     string: length (u32) + UTF-8
///
/// Each record carries its own MAC, so a run reads only the records it checks, one at a time, instead
/// of the whole file (286 MB at 100,000 clusters) to check one trailer; and a rewrite copies untouched
/// records verbatim, without decoding or re-hashing them. A file that is torn (its records do not end
/// exactly at its end) or from another version reads as empty; a record whose MAC fails reads as
/// absent. Stamps are only shortcuts: without one a cluster takes the ordinary path through the cache.
enum StampFileFormat {
    static let magic = Array("TBSTAMP3".utf8)
    static let purpose = Array("talos-batch stamp record v3".utf8) + [0]
    static let headerSize = magic.count + 4
    static let macSize = Digest.byteCount

    /// A record's MAC: HMAC-SHA256 under the cache key's integrity key over the record (length prefix
    /// included), so a stamp written by someone without the key reads as no stamp at all (a stamp decides
    /// that a cluster is fresh without looking at the cache). Without a key, HMAC under an empty key: a
    /// checksum against damage only.
    static func mac(_ record: UnsafeRawBufferPointer, key: CacheKey?) -> Digest {
        var hmac = HMACSHA256(key: key?.integrity ?? [])
        hmac.update(purpose)
        hmac.update(record)
        return hmac.finalize()
    }

    /// The body of a sealed record (length prefix, body, MAC) whose MAC holds; nil otherwise.
    static func open(_ sealed: UnsafeRawBufferPointer, key: CacheKey?) -> UnsafeRawBufferPointer? {
        guard sealed.count >= 4 + macSize else { return nil }
        let record = UnsafeRawBufferPointer(rebasing: sealed[..<(sealed.count - macSize)])
        let length = Int(UInt32(littleEndian: record.loadUnaligned(as: UInt32.self)))
        guard length == record.count - 4,
              mac(record, key: key).constantTimeEquals(Digest(raw: UnsafeRawBufferPointer(rebasing: sealed[record.count...])))
        else { return nil }
        return record
    }

    /// One stamp as a record (length prefix included, no MAC: `StampFileWriter.seal` adds it).
    static func encode(_ stamp: Stamp) -> [UInt8] {
        var record = ByteWriter()
        record.u32(0)
        record.string(stamp.group)
        record.digest(stamp.configuration)
        record.i64(stamp.validUntilNanoseconds)
        record.i64(stamp.refreshedSeconds)
        record.u32(UInt32(stamp.files.count))
        for file in stamp.files {
            record.string(file.path)
            record.u64(file.state.device)
            record.u64(file.state.inode)
            record.i64(file.state.size)
            record.i64(file.state.modifiedNanoseconds)
            record.i64(file.state.changedNanoseconds)
        }
        record.u32(UInt32(stamp.actions.count))
        for action in stamp.actions {
            record.string(action.name)
            record.digest(action.key)
            record.u32(UInt32(action.outputs.count))
            for output in action.outputs {
                record.string(output.path)
                record.digest(output.digest)
                record.u32(output.mode)
                record.i64(output.size)
            }
        }
        record.patchU32(at: 0, UInt32(record.buffer.count - 4))
        return record.buffer
    }

    /// The stamp in one record (length prefix included, MAC not); nil when the record does not parse.
    static func decode(_ record: UnsafeRawBufferPointer) -> Stamp? {
        var reader = ByteReader(raw: record, offset: 4)
        return try? decodeStamp(&reader)
    }

    /// The group a record is for, read in place (length prefix included).
    static func group(of record: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        var reader = ByteReader(raw: record, offset: 4)
        return try? reader.stringBytes()
    }

    /// Offset of `refreshed` in a record of `group` (length prefix included).
    static func refreshedOffset(groupLength: Int) -> Int { 4 + 4 + groupLength + Digest.byteCount + 8 }

    /// Checks a record in place, allocating nothing per file: the configuration must match, `now` must be
    /// before the expiry, the actions must be `names` in order, and `state` (given each file's path as a C
    /// string, and whether it is absolute) must return every file's stamped state. Returns the actions'
    /// keys, their outputs when `withOutputs` (else empty lists), and when the stamp was last refreshed.
    static func verify(_ record: UnsafeRawBufferPointer, configuration: Digest, nowNanoseconds: Int64, names: [String],
                       withOutputs: Bool, state: (UnsafePointer<CChar>, Bool) -> FileState?) -> StampCheck? {
        var reader = ByteReader(raw: record, offset: 4)
        return try? verify(&reader, configuration: configuration, nowNanoseconds: nowNanoseconds, names: names,
                           withOutputs: withOutputs, state: state)
    }

    private static func verify(_ reader: inout ByteReader, configuration: Digest, nowNanoseconds: Int64, names: [String],
                               withOutputs: Bool, state: (UnsafePointer<CChar>, Bool) -> FileState?) throws -> StampCheck? {
        _ = try reader.stringBytes()
        guard try reader.digest() == configuration, nowNanoseconds < (try reader.i64()) else { return nil }
        let refreshed = try reader.i64()
        var path = [CChar](repeating: 0, count: 256)
        for _ in 0..<Int(try reader.u32()) {
            let bytes = try reader.stringBytes()
            if path.count <= bytes.count { path = [CChar](repeating: 0, count: bytes.count * 2) }
            let current: FileState? = path.withUnsafeMutableBufferPointer { buffer in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
                buffer[bytes.count] = 0
                return state(UnsafePointer(buffer.baseAddress!), bytes.first == UInt8(ascii: "/"))
            }
            let stamped = FileState(device: try reader.u64(), inode: try reader.u64(), size: try reader.i64(),
                                    modifiedNanoseconds: try reader.i64(), changedNanoseconds: try reader.i64())
            guard current == stamped else { return nil }
        }
        guard Int(try reader.u32()) == names.count else { return nil }
        var check = StampCheck(keys: [], outputs: [], refreshedSeconds: refreshed)
        check.keys.reserveCapacity(names.count)
        check.outputs.reserveCapacity(names.count)
        for name in names {
            guard name.utf8.elementsEqual(try reader.stringBytes()) else { return nil }
            check.keys.append(try reader.digest())
            var outputs: [OutputEntry] = []
            for _ in 0..<Int(try reader.u32()) {
                if withOutputs {
                    let path = try reader.string()
                    let digest = try reader.digest()
                    outputs.append(OutputEntry(path: path, digest: digest, mode: try reader.u32(), size: try reader.i64()))
                } else {
                    _ = try reader.stringBytes()
                    _ = try reader.digest()
                    _ = try reader.u32()
                    _ = try reader.i64()
                }
            }
            check.outputs.append(outputs)
        }
        guard reader.atEnd else { return nil }
        return check
    }

    private static func decodeStamp(_ reader: inout ByteReader) throws -> Stamp {
        let group = try reader.string()
        let configuration = try reader.digest()
        let validUntil = try reader.i64()
        let refreshed = try reader.i64()
        let fileCount = Int(try reader.u32())
        var files: [StampedFile] = []
        files.reserveCapacity(min(fileCount, 4096))
        for _ in 0..<fileCount {
            let path = try reader.string()
            let state = FileState(device: try reader.u64(), inode: try reader.u64(), size: try reader.i64(),
                                  modifiedNanoseconds: try reader.i64(), changedNanoseconds: try reader.i64())
            files.append(StampedFile(path: path, state: state))
        }
        let actionCount = Int(try reader.u32())
        var actions: [StampedAction] = []
        actions.reserveCapacity(min(actionCount, 4096))
        for _ in 0..<actionCount {
            let name = try reader.string()
            let key = try reader.digest()
            let outputCount = Int(try reader.u32())
            var outputs: [OutputEntry] = []
            outputs.reserveCapacity(min(outputCount, 4096))
            for _ in 0..<outputCount {
                let path = try reader.string()
                let digest = try reader.digest()
                outputs.append(OutputEntry(path: path, digest: digest, mode: try reader.u32(), size: try reader.i64()))
            }
            actions.append(StampedAction(name: name, key: key, outputs: outputs))
        }
        guard reader.atEnd else { throw ByteReader.Truncated() }
        return Stamp(group: group, configuration: configuration, validUntilNanoseconds: validUntil,
                     refreshedSeconds: refreshed, files: files, actions: actions)
    }
}

/// Streams a stamp file to a descriptor: the header, then records as they come (sealed with their MAC
/// here, or copied as sealed) — through a small buffer, so a big file is never held whole in memory.
struct StampFileWriter: ~Copyable {
    private let fd: Int32
    private let path: String
    private let key: CacheKey?
    private var pending = ByteWriter()

    init(fd: Int32, path: String, count: Int, key: CacheKey?) {
        self.fd = fd
        self.path = path
        self.key = key
        pending.bytes(StampFileFormat.magic)
        pending.u32(UInt32(count))
    }

    /// Appends a record as `StampFileFormat.encode` made it, with its MAC.
    mutating func seal(_ record: UnsafeRawBufferPointer) throws {
        pending.buffer.append(contentsOf: record)
        StampFileFormat.mac(record, key: key).withUnsafeBytes { pending.buffer.append(contentsOf: $0) }
        if pending.buffer.count >= 1 << 16 { try drain() }
    }

    /// Appends a record that already carries its MAC.
    mutating func copy(_ sealed: UnsafeRawBufferPointer) throws {
        pending.buffer.append(contentsOf: sealed)
        if pending.buffer.count >= 1 << 16 { try drain() }
    }

    consuming func finish() throws {
        try drain()
    }

    private mutating func drain() throws {
        let fd = fd
        let path = path
        try pending.buffer.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path) }
        pending.buffer.removeAll(keepingCapacity: true)
    }
}

/// Reads length-prefixed records (u32 length, that many bytes, then `trailer` more: a MAC) from a
/// descriptor in order, through one growing buffer; a record is never longer than what is left of the
/// file, so a damaged length cannot make it allocate more than the file's size.
struct RecordStreamReader: ~Copyable {
    private let fd: Int32
    private let path: String
    private let trailer: Int
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    /// Bytes of the file not yet in the buffer.
    private var unread: Int
    /// The file offset of the next record.
    private(set) var offset: Int

    /// Reads from `offset` (the descriptor's position must be there) to `size`.
    init(fd: Int32, path: String, offset: Int, size: Int, trailer: Int) {
        self.fd = fd
        self.path = path
        self.trailer = trailer
        self.offset = offset
        unread = max(0, size - offset)
        buffer = .allocate(byteCount: 1 << 18, alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// Whether every byte up to `size` was consumed.
    var atEnd: Bool { unread == 0 && start == end }

    /// The next whole record (prefix, body and trailer), valid until the next call; nil at the end of the
    /// file or when the rest is not a whole record (a torn file).
    mutating func next() throws -> UnsafeRawBufferPointer? {
        guard try fill(4) else { return nil }
        let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
        let total = 4 + length + trailer
        guard total <= end - start + unread, try fill(total) else { return nil }
        defer {
            start += total
            offset += total
        }
        return UnsafeRawBufferPointer(rebasing: buffer[start..<start + total])
    }

    /// Makes `count` bytes available from `start`; false when the file ends first.
    private mutating func fill(_ count: Int) throws -> Bool {
        if end - start >= count { return true }
        guard end - start + unread >= count else { return false }
        if start > 0 {
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: end - start)
            end -= start
            start = 0
        }
        if count > buffer.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, buffer.count * 2), alignment: 8)
            larger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = larger
        }
        while end < count {
            let n = try FileIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<min(buffer.count, end + unread)]),
                                    path: path)
            if n == 0 { return false }
            end += n
            unread -= n
        }
        return true
    }
}

/// Appends little-endian integers, strings and raw bytes.
struct ByteWriter {
    var buffer: [UInt8] = []

    mutating func bytes(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }
    mutating func digest(_ digest: Digest) { digest.withUnsafeBytes { buffer.append(contentsOf: $0) } }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }

    mutating func string(_ value: String) {
        let utf8 = value.utf8
        u32(UInt32(utf8.count))
        buffer.append(contentsOf: utf8)
    }

    mutating func patchU32(at offset: Int, _ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes in
            for (index, byte) in bytes.enumerated() { buffer[offset + index] = byte }
        }
    }
}

/// Reads what `ByteWriter` wrote, throwing at the end of the bytes instead of reading past it.
struct ByteReader {
    struct Truncated: Error {}

    let raw: UnsafeRawBufferPointer
    var offset: Int

    var atEnd: Bool { offset == raw.count }

    private mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, raw.count - offset >= count else { throw Truncated() }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: raw[offset..<offset + count])
    }

    /// Moves to `position` if it is within the bytes and not behind the current offset.
    mutating func skip(to position: Int) -> Bool {
        guard position >= offset, position <= raw.count else { return false }
        offset = position
        return true
    }

    mutating func u32() throws -> UInt32 { UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self)) }
    mutating func u64() throws -> UInt64 { UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self)) }
    mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
    mutating func digest() throws -> Digest { Digest(raw: try take(Digest.byteCount)) }
    mutating func string() throws -> String { String(decoding: try take(Int(try u32())), as: UTF8.self) }
    /// A string's bytes in place (no String is made).
    mutating func stringBytes() throws -> UnsafeRawBufferPointer { try take(Int(try u32())) }
}
