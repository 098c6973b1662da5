import FileAccess
import FoundationEssentials
import Glibc
import SystemKit

/// The blob store's packs (`blobs/packs/*.pack` with their `.pack.idx` indexes): this process's own
/// pack writer and a digest → location map of every pack's index, loaded on first need and topped up
/// when a lookup misses and the folder has changed since it was last listed. Thread-safe.
final class PackCatalog: @unchecked Sendable {
    let directory: String
    private let warn: CacheWarningHandler
    private let lock = Lock()
    private var writer: PackWriter?
    /// nil until first needed (a run that never looks a blob up never reads an index).
    private var indexes: [PackIndex]?
    private var loadedIndexNames = Set<String>()
    private var listing: DirectoryListing?
    /// Read descriptors by pack name; names are unique, so an open descriptor always means that pack.
    private var readers: [String: Int32] = [:]
    private var reportedCorrupt = Set<Digest>()
    /// Entries found damaged; lookups skip them.
    private var corrupt = Set<PackLocation>()

    /// How stored bytes are checked against their digest (plain or sealed).
    let content: BlobContent

    init(directory: String, content: BlobContent = BlobContent(key: nil), warn: @escaping CacheWarningHandler) {
        self.directory = directory
        self.content = content
        self.warn = warn
    }

    deinit { for fd in readers.values { close(fd) } }

    static func indexPath(ofPackAt path: String) -> String { path + ".idx" }

    // MARK: - Writing

    /// Appends `bytes` to this process's pack unless a pack already holds `digest`. True when written.
    func store(_ digest: Digest, _ bytes: UnsafeRawBufferPointer) throws -> Bool {
        try lock.withLock {
            if writer?.contains(digest) == true || lookUp(digest, in: currentIndexes()) != nil { return false }
            if writer == nil { writer = try PackWriter(directory: directory) }
            try writer!.append(digest, bytes)
            return true
        }
    }

    /// Renames an index of this process's pack into place if it gained entries since the last one; with
    /// `durable`, pack and index are fsynced first (else the caller syncs). True when an index was written.
    func writePendingIndex(durable: Bool = false) throws -> Bool {
        try lock.withLock {
            guard let writer, writer.hasUnindexedChanges else { return false }
            try writer.writeIndex(fsync: durable)
            return true
        }
    }

    // MARK: - Reading

    func contains(_ digest: Digest) -> Bool { location(of: digest) != nil }

    /// Whether this process's pack or an index already loaded holds `digest`, without looking for packs
    /// that appeared since (a `stat` of the folder per miss: a cold run stores a dozen new blobs per
    /// cluster, every one a miss). Missing another process's copy of the last moments only stores a duplicate.
    func containsLoaded(_ digest: Digest) -> Bool {
        lock.withLock { writer?.location(of: digest) ?? lookUp(digest, in: currentIndexes()) } != nil
    }

    /// The verified bytes of a packed blob; nil when no pack holds it or its bytes are damaged
    /// (reported once, then treated as absent).
    func read(_ digest: Digest) -> [UInt8]? {
        // A damaged copy is skipped from then on, so the next try finds another pack's copy if any.
        for _ in 0..<4 {
            guard let location = location(of: digest) else { return nil }
            guard let fd = reader(for: location.pack) else {
                // Removed meanwhile (gc rewrote it): start over from a fresh listing.
                invalidate()
                continue
            }
            guard let stored = Self.readPayload(fd, location), let bytes = content.plaintext(stored, address: digest) else {
                if let stored = Self.readPayload(fd, location), content.isUnopenableSeal(stored) { return nil }
                markCorrupt(digest, location)
                continue
            }
            return bytes
        }
        return nil
    }

    /// The verified bytes of several packed blobs, each run of neighbouring entries of one pack read with a
    /// single `pread` (a stage's outputs were stored one after another, so a restore's dozen blobs are
    /// usually one or two reads instead of a dozen). nil for a blob not found in a loaded index or not
    /// verified this way: the caller reads those one by one (`read`, which also reports damage).
    func readNeighbours(_ digests: [Digest]) -> [[UInt8]?] {
        var result = [[UInt8]?](repeating: nil, count: digests.count)
        guard digests.count > 1 else { return result }
        // Entries of this process's own pack are left to `read` (it may still be growing).
        let located: [(index: Int, location: PackLocation)] = lock.withLock {
            let loaded = currentIndexes()
            return digests.indices.compactMap { index in
                guard writer?.location(of: digests[index]) == nil,
                      let location = lookUp(digests[index], in: loaded),
                      location.offset >= 0, location.length >= 0, location.length <= Self.neighbourSpan else { return nil }
                return (index, location)
            }
        }
        var start = 0
        let sorted = located.sorted { ($0.location.pack, $0.location.offset) < ($1.location.pack, $1.location.offset) }
        while start < sorted.count {
            // A span: entries of one pack at most 16 KiB apart (entry headers, or another worker's blob stored
            // between two of a stage's outputs: copying those costs about what a system call does), up to
            // `neighbourSpan` bytes.
            let first = sorted[start].location
            var end = start + 1
            var spanEnd = first.offset + first.length
            while end < sorted.count, sorted[end].location.pack == first.pack,
                  sorted[end].location.offset >= spanEnd, sorted[end].location.offset - spanEnd <= 16 << 10,
                  sorted[end].location.offset + sorted[end].location.length - first.offset <= Self.neighbourSpan {
                spanEnd = sorted[end].location.offset + sorted[end].location.length
                end += 1
            }
            defer { start = end }
            guard end - start > 1, let fd = reader(for: first.pack),
                  let span = try? Self.readExactly(fd, count: Int(spanEnd - first.offset), at: first.offset) else { continue }
            for (index, location) in sorted[start..<end] {
                let from = Int(location.offset - first.offset)
                result[index] = content.plaintext(Array(span[from..<from + Int(location.length)]), address: digests[index])
            }
        }
        return result
    }

    /// The most bytes one neighbours read takes (a blob larger than this is read on its own).
    static let neighbourSpan: Int64 = 1 << 20

    /// Forgets every loaded index (after packs were rewritten or removed); the next lookup reloads.
    /// A writer whose pack was deleted meanwhile is retired too: later blobs go to a new pack.
    func invalidate() {
        lock.withLock {
            if writer?.isUnlinked == true { writer = nil }
            indexes = nil
            loadedIndexNames = []
            listing = nil
        }
    }

    /// Retires the writer if its pack was deleted (checked when a batch begins, so a new batch never
    /// appends to a pack that no index will find).
    func retireWriterIfUnlinked() {
        lock.withLock { if writer?.isUnlinked == true { writer = nil } }
    }

    /// Drops the writer and every loaded index (after the whole store was emptied).
    func reset() {
        lock.withLock {
            writer = nil
            indexes = nil
            loadedIndexNames = []
            listing = nil
        }
    }

    /// The name of this process's pack while it has entries not yet in its index: gc and verify leave
    /// it alone. A fully indexed pack is retired instead (later blobs go to a new pack), so gc and verify
    /// may rewrite it like any other.
    var ownPack: String? {
        lock.withLock {
            guard let writer, writer.hasUnindexedChanges else {
                writer = nil
                return nil
            }
            return writer.name
        }
    }

    private func location(of digest: Digest) -> PackLocation? {
        lock.withLock {
            if let location = writer?.location(of: digest) ?? lookUp(digest, in: currentIndexes()) { return location }
            guard refreshIfChanged() else { return nil }
            return lookUp(digest, in: indexes ?? [])
        }
    }

    private func markCorrupt(_ digest: Digest, _ location: PackLocation) {
        let first = lock.withLock {
            corrupt.insert(location)
            if writer?.location(of: digest) == location { writer?.drop(digest) }
            return reportedCorrupt.insert(digest).inserted
        }
        if first {
            warn("cache blob \(digest.hex) in pack \(location.pack) was corrupt (its content no longer matches its digest); ignoring it")
        }
    }

    private func reader(for pack: String) -> Int32? {
        lock.withLock {
            if let fd = readers[pack] { return fd }
            guard let fd = FileIO.openRegular(directory + "/" + pack) else { return nil }
            readers[pack] = fd
            return fd
        }
    }

    /// An entry's bytes; nil when the pack ends first. A length beyond the file's end (a damaged header or
    /// index declaring a terabyte) is refused before anything is allocated.
    /// (Small entries — every real output — skip the `fstat`: a short read already says the file ended.)
    static func readPayload(_ fd: Int32, _ location: PackLocation) -> [UInt8]? {
        guard location.length >= 0, location.offset >= 0 else { return nil }
        if location.length > 1 << 20 {
            var info = stat()
            guard fstat(fd, &info) == 0, location.offset <= Int64(info.st_size),
                  location.length <= Int64(info.st_size) - location.offset else { return nil }
        }
        return try? readExactly(fd, count: Int(location.length), at: location.offset)
    }

    /// `count` bytes at `offset`; nil when the file ends first (a torn tail).
    static func readExactly(_ fd: Int32, count: Int, at offset: Int64) throws -> [UInt8]? {
        var complete = true
        let bytes = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CacheError.io(operation: "read", path: "pack", errno: errno)
                }
                if n == 0 { break }
                done += n
            }
            complete = done == count
            initialized = done
        }
        return complete ? bytes : nil
    }

    // MARK: - Loading indexes (callers hold the lock)

    private struct DirectoryListing {
        var device: UInt64
        var inode: UInt64
        var modified: timespec
        var changed: timespec
        var listedAt: Date

        /// The folder's timestamps are coarse: a change in the same tick as the listing could go
        /// unnoticed, so a listing counts as current only once its stamp is safely older than it.
        var isSettled: Bool { listedAt.timeIntervalSince1970 - Double(modified.tv_sec) > 2 }

        func sameFolder(as info: stat) -> Bool {
            UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
                && info.st_mtim.tv_sec == modified.tv_sec && info.st_mtim.tv_nsec == modified.tv_nsec
                && info.st_ctim.tv_sec == changed.tv_sec && info.st_ctim.tv_nsec == changed.tv_nsec
        }
    }

    private func currentIndexes() -> [PackIndex] {
        if let indexes { return indexes }
        indexes = []
        _ = refreshIfChanged()
        return indexes ?? []
    }

    /// Newest pack first: when an entry was damaged and stored again, the later copy is the sound one.
    private func lookUp(_ digest: Digest, in indexes: [PackIndex]) -> PackLocation? {
        for index in indexes.reversed() {
            if let location = index.location(of: digest), !corrupt.contains(location) { return location }
        }
        return nil
    }

    /// Loads indexes that appeared since the last listing; false (one stat) when the folder is unchanged.
    private func refreshIfChanged() -> Bool {
        guard let info = try? FileIO.status(directory) else { return false }
        if let listing, listing.isSettled, listing.sameFolder(as: info) { return false }
        listing = DirectoryListing(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), modified: info.st_mtim,
                                   changed: info.st_ctim, listedAt: Date())
        if indexes == nil { indexes = [] }
        for name in Self.indexNames(in: directory) where !loadedIndexNames.contains(name) {
            loadedIndexNames.insert(name)
            guard let found = loadIndex(name) else { continue }
            indexes!.append(found)
        }
        return true
    }

    private func loadIndex(_ indexName: String) -> PackIndex? {
        let pack = String(indexName.dropLast(".idx".count))
        guard let data = FileIO.readRegularFile(directory + "/" + indexName) else { return nil }
        guard let found = PackIndex(bytes: data, pack: pack) else {
            // Removed so that later runs do not trip over it again; the pack can be reindexed from its
            // entry headers. (Index files are only ever renamed into place whole, so this is damage.)
            unlink(directory + "/" + indexName)
            warn("cache pack index \(indexName) was damaged; removed it — the blobs of its pack are ignored until "
                 + "`talos-batch cache verify` rebuilds it")
            return nil
        }
        return found
    }

    static func indexNames(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(PackFormat.indexSuffix) && !$0.hasPrefix(".") }
            .sorted()
    }

    static func packNames(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(PackFormat.packSuffix) && !$0.hasPrefix(".") }
            .sorted()
    }

    /// One pack's index as on disk now (not the cached map); nil when it has none or it is damaged.
    func index(ofPack pack: String) -> [Digest: PackLocation]? {
        guard let data = FileIO.readRegularFile(Self.indexPath(ofPackAt: directory + "/" + pack)) else { return nil }
        return PackFormat.decodeIndex(data, pack: pack)
    }
}

extension PackCatalog {
    /// Whether a packed copy of `digest` was found damaged by this process.
    func wasReportedCorrupt(_ digest: Digest) -> Bool { lock.withLock { reportedCorrupt.contains(digest) } }
}
