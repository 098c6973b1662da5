import FoundationEssentials
import Glibc

/// One process's pack file, appended to while a batch is open. Not thread-safe: the blob store
/// serialises calls. Entries become visible to other processes only through the index that
/// `writeIndex` renames into place, which the caller makes durable (syncfs, or `fsync: true`).
final class PackWriter {
    let name: String
    let directory: String
    /// Where each appended blob's payload is. Only offset and length: the pack is this one, and a run of
    /// 10,000 clusters appends over 100,000 blobs, so every byte per entry shows in its peak memory.
    private var entries: [Digest: Span] = [:]
    private var fd: Int32
    private var size: Int64
    /// Entries were added or dropped since the last index was written.
    private(set) var hasUnindexedChanges = false

    var path: String { directory + "/" + name }
    var indexPath: String { PackCatalog.indexPath(ofPackAt: path) }

    /// Creates `<directory>/<time>-<pid>-<random>.pack` (0600) and writes its magic.
    init(directory: String) throws {
        self.directory = directory
        let stamp = Int64(Date().timeIntervalSince1970 * 1000)
        name = "\(stamp)-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))" + PackFormat.packSuffix
        let path = directory + "/" + name
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_APPEND
        do {
            fd = try FileIO.open(path, flags, mode: 0o600)
        } catch CacheError.io(_, _, ENOENT) {
            try FileIO.makeDirectories(directory, mode: 0o700)
            fd = try FileIO.open(path, flags, mode: 0o600)
        }
        size = 0
        do {
            try PackFormat.packMagic.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path) }
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        size = Int64(PackFormat.packMagic.count)
    }

    deinit { close(fd) }

    struct Span {
        var offset: Int64
        var length: Int64
    }

    var isEmpty: Bool { entries.isEmpty }

    func contains(_ digest: Digest) -> Bool { entries[digest] != nil }

    func location(of digest: Digest) -> PackLocation? {
        entries[digest].map { PackLocation(pack: name, offset: $0.offset, length: $0.length) }
    }

    /// True when the pack was deleted under this writer (another process's gc rewrote it).
    var isUnlinked: Bool {
        var info = stat()
        return fstat(fd, &info) == 0 && info.st_nlink == 0
    }

    /// Appends one entry (header and bytes in a single write) and returns where its payload is.
    @discardableResult
    func append(_ digest: Digest, _ bytes: UnsafeRawBufferPointer) throws -> PackLocation {
        var record = PackFormat.entryHeader(digest, length: bytes.count)
        record.append(contentsOf: bytes)
        try record.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: path) }
        let location = PackLocation(pack: name, offset: size + Int64(PackFormat.entryHeaderSize), length: Int64(bytes.count))
        size += Int64(record.count)
        entries[digest] = Span(offset: location.offset, length: location.length)
        hasUnindexedChanges = true
        return location
    }

    /// Forgets an entry whose bytes turned out corrupt, so the next index leaves it out.
    func drop(_ digest: Digest) {
        if entries.removeValue(forKey: digest) != nil { hasUnindexedChanges = true }
    }

    /// Writes the index of every entry so far (temporary file, then rename); a no-op when nothing
    /// changed since the last one. Durability is the caller's unless `fsync` is set.
    func writeIndex(fsync: Bool) throws {
        guard hasUnindexedChanges else { return }
        if fsync { try FileIO.fsync(fd, path: path) }
        let bytes = PackFormat.encodeIndex(entries.map { (digest: $0.key, offset: $0.value.offset, length: $0.value.length) })
        let temporary = FileIO.temporarySibling(of: indexPath)
        let out = try FileIO.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        do {
            try bytes.withUnsafeBytes { try FileIO.writeAll(out, $0, path: temporary) }
            if fsync { try FileIO.fsync(out, path: temporary) }
            close(out)
            try FileIO.rename(temporary, indexPath)
        } catch {
            close(out)
            unlink(temporary)
            throw error
        }
        if fsync { FileIO.fsyncDirectory(directory) }
        hasUnindexedChanges = false
    }
}
