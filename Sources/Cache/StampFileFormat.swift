import FoundationEssentials
import Glibc

/// The bytes of the stamp file (`<cache>/stamps`): little-endian binary, read in one go.
///
///     "TBSTAMP2"  record count (u32)  records  SHA-256 of everything before it (32)
///     record: length (u32), then  group  configuration(32)  validUntil(i64)  refreshed(i64)
///             file count, per file: path  device inode size mtime ctime (u64/i64)
///             action count, per action: name  key(32)  output count, per output: path digest(32) mode(u32) size(i64)
///     string: length (u32) + UTF-8
///
/// Records are self-contained, so a run can keep the stamps it makes as bytes (~1.5 KB a cluster) and
/// rewrite the file by copying untouched records without decoding them. A file that is torn, from another
/// version or fails its checksum reads as empty: stamps are only shortcuts, and without one a cluster takes
/// the ordinary path through the cache.
enum StampFileFormat {
    static let magic = Array("TBSTAMP2".utf8)
    static let purpose = Array("talos-batch stamp file v1".utf8) + [0]

    /// The trailer's hasher: HMAC-SHA256 under the cache key's integrity key, so a stamp file written by
    /// someone without the key reads as no stamps at all (a stamp decides that a cluster is fresh without
    /// looking at the cache). Without a key, HMAC under an empty key: a checksum against tearing only.
    static func trailerHasher(key: CacheKey?) -> HMACSHA256 {
        var hmac = HMACSHA256(key: key?.integrity ?? [])
        hmac.update(purpose)
        return hmac
    }

    static func trailer(_ body: ArraySlice<UInt8>, key: CacheKey?) -> Digest {
        var hmac = trailerHasher(key: key)
        body.withUnsafeBytes { hmac.update($0) }
        return hmac.finalize()
    }

    /// One stamp as a record (length prefix included).
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

    /// Each record's group and byte range (length prefix included); nil unless `bytes` is a whole, intact file.
    static func index(_ bytes: [UInt8], key: CacheKey?) -> [String: Range<Int>]? {
        guard bytes.count >= magic.count + 4 + Digest.byteCount else { return nil }
        let payload = bytes.count - Digest.byteCount
        guard bytes[..<magic.count].elementsEqual(magic),
              trailer(bytes[..<payload], key: key).constantTimeEquals(Digest(uncheckedBytes: Array(bytes[payload...])))
        else { return nil }
        return bytes.withUnsafeBytes { raw -> [String: Range<Int>]? in
            var reader = ByteReader(raw: UnsafeRawBufferPointer(rebasing: raw[..<payload]), offset: magic.count)
            guard let count = try? reader.u32() else { return nil }
            var index: [String: Range<Int>] = [:]
            index.reserveCapacity(Int(count))
            for _ in 0..<count {
                let start = reader.offset
                guard let length = try? reader.u32(), let group = try? reader.string(),
                      reader.skip(to: start + 4 + Int(length)) else { return nil }
                index[group] = start..<reader.offset
            }
            return reader.atEnd ? index : nil
        }
    }

    /// The stamp in one record (as `index` located it); nil when the record does not parse.
    static func decode(_ record: ArraySlice<UInt8>) -> Stamp? {
        record.withUnsafeBytes { raw in
            var reader = ByteReader(raw: raw, offset: 4)
            return try? decodeStamp(&reader)
        }
    }

    /// Checks a record in place, allocating nothing per file: the configuration must match, `now` must be
    /// before the expiry, the actions must be `names` in order, and `state` (given each file's path as a C
    /// string, and whether it is absolute) must return every file's stamped state. Returns the actions'
    /// keys, their outputs when `withOutputs` (else empty lists), and when the stamp was last refreshed.
    static func verify(_ record: ArraySlice<UInt8>, configuration: Digest, nowNanoseconds: Int64, names: [String],
                       withOutputs: Bool, state: (UnsafePointer<CChar>, Bool) -> FileState?) -> StampCheck? {
        record.withUnsafeBytes { raw in
            var reader = ByteReader(raw: raw, offset: 4)
            return try? verify(&reader, configuration: configuration, nowNanoseconds: nowNanoseconds, names: names,
                               withOutputs: withOutputs, state: state)
        }
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

/// Streams a stamp file to a descriptor: the header, records as they come, the SHA-256 trailer — through
/// a small buffer, so a 10,000-cluster file is never held whole in memory while it is written.
struct StampFileWriter: ~Copyable {
    private let fd: Int32
    private let path: String
    private var hasher: HMACSHA256
    private var pending = ByteWriter()

    init(fd: Int32, path: String, count: Int, key: CacheKey?) {
        self.fd = fd
        self.path = path
        hasher = StampFileFormat.trailerHasher(key: key)
        pending.bytes(StampFileFormat.magic)
        pending.u32(UInt32(count))
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        pending.buffer.append(contentsOf: bytes)
        if pending.buffer.count >= 1 << 16 { try drain() }
    }

    consuming func finish() throws {
        try drain()
        let fd = fd
        let path = path
        let digest = hasher.finalize()
        try digest.bytes.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path) }
    }

    private mutating func drain() throws {
        try pending.buffer.withUnsafeBytes { bytes in
            hasher.update(bytes)
            try FileIO.writeAll(fd, bytes, path: path)
        }
        pending.buffer.removeAll(keepingCapacity: true)
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
