import FoundationEssentials
import Glibc

/// The 32-byte header of SQLite's write-ahead log (`cache.db-wal`), checked before the database is opened
/// (issue 19). SQLite silently ignores a log whose header is garbage — no data of it is used — so garbage
/// there is no danger to the cache, but it is damage all the same and `cache verify` must say so.
/// Layout (sqlite.org/fileformat2.html#walformat): magic 0x377f0682/3, format 3007000, page size,
/// checkpoint sequence, two salts, and a checksum of the first 24 bytes, all big-endian; the checksum
/// words are read big-endian when the magic's low bit is set, little-endian otherwise.
enum WriteAheadLogHeader {
    /// Why the log at `path` is not one SQLite could use; nil when it is absent, empty or sound.
    static func problem(atPath path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
        guard info.st_size >= 32, let header = try? readHeader(path) else { return "shorter than a write-ahead log header" }
        let magic = bigEndian(header, at: 0)
        guard magic & ~1 == 0x377f_0682 else { return "not an SQLite write-ahead log (bad magic number)" }
        guard bigEndian(header, at: 4) == 3_007_000 else { return "a write-ahead log of an unknown format" }
        let bigEndianWords = magic & 1 == 1
        var s0: UInt32 = 0, s1: UInt32 = 0
        for offset in stride(from: 0, to: 24, by: 8) {
            let first = bigEndianWords ? bigEndian(header, at: offset) : littleEndian(header, at: offset)
            let second = bigEndianWords ? bigEndian(header, at: offset + 4) : littleEndian(header, at: offset + 4)
            s0 = s0 &+ first &+ s1
            s1 = s1 &+ second &+ s0
        }
        guard s0 == bigEndian(header, at: 24), s1 == bigEndian(header, at: 28) else {
            return "garbage (its header checksum does not match)"
        }
        return nil
    }

    private static func readHeader(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw CacheError.io(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 32, 0) }
        guard count == 32 else { throw CacheError.io(operation: "read", path: path, errno: errno) }
        return bytes
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func littleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
}
