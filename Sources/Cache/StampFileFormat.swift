import Foundation

/// The bytes of the stamp file (`<cache>/stamps`): a little-endian binary format read in one go.
///
///     "TBSTAMP1"  string table (count, then length + UTF-8 each)  stamp count, then per stamp:
///       group  configuration(32)  validUntil(i64)  refreshed(i64)
///       file count, then per file: path  device inode size mtime ctime (u64/i64)
///       action count, then per action: name  key(32)  output count, then per output: path digest(32) mode size
///     SHA-256 of everything before it (32)
///
/// Strings are indices into the table, so the paths every cluster shares ("talenv.yaml",
/// "clusterconfig/talosconfig", the template) are stored and decoded once. A file that is torn, from
/// another version or fails its checksum decodes to nothing: stamps are only shortcuts, and without one
/// a cluster just takes the ordinary path through the cache.
enum StampFileFormat {
    static let magic = Array("TBSTAMP1".utf8)

    static func encode(_ stamps: [Stamp]) -> [UInt8] {
        var table: [String: UInt32] = [:]
        var strings: [String] = []
        func index(_ string: String) -> UInt32 {
            if let known = table[string] { return known }
            let new = UInt32(strings.count)
            table[string] = new
            strings.append(string)
            return new
        }
        var body = ByteWriter()
        body.u32(UInt32(stamps.count))
        for stamp in stamps {
            body.u32(index(stamp.group))
            body.bytes(stamp.configuration.bytes)
            body.i64(stamp.validUntilNanoseconds)
            body.i64(stamp.refreshedSeconds)
            body.u32(UInt32(stamp.files.count))
            for file in stamp.files {
                body.u32(index(file.path))
                body.u64(file.state.device)
                body.u64(file.state.inode)
                body.i64(file.state.size)
                body.i64(file.state.modifiedNanoseconds)
                body.i64(file.state.changedNanoseconds)
            }
            body.u32(UInt32(stamp.actions.count))
            for action in stamp.actions {
                body.u32(index(action.name))
                body.bytes(action.key.bytes)
                body.u32(UInt32(action.outputs.count))
                for output in action.outputs {
                    body.u32(index(output.path))
                    body.bytes(output.digest.bytes)
                    body.u32(output.mode)
                    body.i64(output.size)
                }
            }
        }
        var file = ByteWriter()
        file.bytes(magic)
        file.u32(UInt32(strings.count))
        for string in strings {
            let utf8 = Array(string.utf8)
            file.u32(UInt32(utf8.count))
            file.bytes(utf8)
        }
        file.bytes(body.buffer)
        file.bytes(Digest.of(file.buffer).bytes)
        return file.buffer
    }

    /// The stamps in `bytes`; empty when the bytes are not a whole, intact stamp file.
    static func decode(_ bytes: [UInt8]) -> [Stamp] {
        guard bytes.count >= magic.count + Digest.byteCount else { return [] }
        let payload = bytes.count - Digest.byteCount
        guard Array(bytes[..<magic.count]) == magic,
              Digest.of(bytes[..<payload]).bytes[...] == bytes[payload...] else { return [] }
        return bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw: UnsafeRawBufferPointer(rebasing: raw[..<payload]), offset: magic.count)
            return (try? decodeStamps(&reader)) ?? []
        }
    }

    private static func decodeStamps(_ reader: inout ByteReader) throws -> [Stamp] {
        let stringCount = Int(try reader.u32())
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount {
            let length = Int(try reader.u32())
            strings.append(try reader.string(length))
        }
        func string(_ reader: inout ByteReader) throws -> String {
            let index = Int(try reader.u32())
            guard index < strings.count else { throw ByteReader.Truncated() }
            return strings[index]
        }
        let count = Int(try reader.u32())
        var stamps: [Stamp] = []
        stamps.reserveCapacity(min(count, 1 << 20))
        for _ in 0..<count {
            let group = try string(&reader)
            let configuration = try reader.digest()
            let validUntil = try reader.i64()
            let refreshed = try reader.i64()
            let fileCount = Int(try reader.u32())
            var files: [StampedFile] = []
            files.reserveCapacity(min(fileCount, 4096))
            for _ in 0..<fileCount {
                let path = try string(&reader)
                let state = FileState(device: try reader.u64(), inode: try reader.u64(), size: try reader.i64(),
                                      modifiedNanoseconds: try reader.i64(), changedNanoseconds: try reader.i64())
                files.append(StampedFile(path: path, state: state))
            }
            let actionCount = Int(try reader.u32())
            var actions: [StampedAction] = []
            actions.reserveCapacity(min(actionCount, 4096))
            for _ in 0..<actionCount {
                let name = try string(&reader)
                let key = try reader.digest()
                let outputCount = Int(try reader.u32())
                var outputs: [OutputEntry] = []
                outputs.reserveCapacity(min(outputCount, 4096))
                for _ in 0..<outputCount {
                    let path = try string(&reader)
                    let digest = try reader.digest()
                    outputs.append(OutputEntry(path: path, digest: digest, mode: try reader.u32(), size: try reader.i64()))
                }
                actions.append(StampedAction(name: name, key: key, outputs: outputs))
            }
            stamps.append(Stamp(group: group, configuration: configuration, validUntilNanoseconds: validUntil,
                                refreshedSeconds: refreshed, files: files, actions: actions))
        }
        guard reader.atEnd else { throw ByteReader.Truncated() }
        return stamps
    }
}

/// Appends little-endian integers and raw bytes.
struct ByteWriter {
    var buffer: [UInt8] = []

    mutating func bytes(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) } }
    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }
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

    mutating func u32() throws -> UInt32 { UInt32(littleEndian: try take(4).loadUnaligned(as: UInt32.self)) }
    mutating func u64() throws -> UInt64 { UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self)) }
    mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
    mutating func digest() throws -> Digest { Digest(uncheckedBytes: Array(try take(Digest.byteCount))) }
    mutating func string(_ length: Int) throws -> String { String(decoding: try take(length), as: UTF8.self) }
}
