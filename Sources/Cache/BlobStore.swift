import FoundationEssentials
import Glibc
import SystemKit

/// Content-addressed file storage: the blob with digest `abcd…` lives loose at `<root>/ab/cd…`, or in a
/// pack file under `<root>/packs/`.
///
/// Outside a batch, blobs are written to a temporary file, fsynced and renamed into place, so a reader
/// sees either nothing or the whole blob. In a batch they are appended to this process's pack instead
/// (one file per run rather than one per blob), whose index `syncPending()` writes and makes durable. Every read re-hashes the bytes; a blob that no longer matches its
/// name is reported, deleted and treated as absent — it is never handed out or restored.
public final class BlobStore: Sendable {
    public let root: URL
    private let rootPath: String
    private let warn: CacheWarningHandler
    private let deferredSync = DeferredSync()
    private let reportedLoose = ReportedDigests()
    private let packs: PackCatalog
    /// Seals secret-bearing blobs and opens them; without a key such blobs are not stored at all.
    let key: CacheKey?
    private let content: BlobContent

    public init(root: URL, key: CacheKey? = nil, warn: @escaping CacheWarningHandler = CacheWarning.standardError) throws {
        self.root = root
        rootPath = root.path
        self.warn = warn
        self.key = key
        content = BlobContent(key: key)
        packs = PackCatalog(directory: root.path + "/packs", content: content, warn: warn)
        try CacheFolderRepair.ensureFolder(root.path, warn: warn)
        try CacheFolderRepair.ensureFolder(packs.directory, warn: warn)
    }

    /// The folder of pack files and their indexes.
    public var packsPath: String { packs.directory }

    /// The loose file that holds (or would hold) a blob.
    public func path(of digest: Digest) -> String {
        let hex = digest.hex
        let split = hex.index(hex.startIndex, offsetBy: 2)
        return rootPath + "/" + hex[..<split] + "/" + hex[split...]
    }

    public func contains(_ digest: Digest) -> Bool {
        packs.contains(digest) || access(path(of: digest), F_OK) == 0
    }

    /// Stores bytes; a no-op when the blob is already there (loose or packed). A `secret` blob (an output
    /// with no group or other permission bits) is sealed under the cache key (see `BlobSeal`) and, without
    /// a key, not stored at all: plaintext secrets never sit in the cache folder. The address is the
    /// plaintext's digest either way.
    @discardableResult
    public func put(_ bytes: [UInt8], secret: Bool = false) throws -> Digest {
        let digest = Digest.of(bytes)
        if secret && key == nil { return digest }
        if deferredSync.isActive {
            // Into this run's pack unless a pack holds it already. A loose copy (written outside a batch)
            // is not looked for: that would be a stat per blob, to save only a duplicate's space.
            // A copy already packed is reused only if it still reads back (and, sealed, opens under this key):
            // a damaged copy nobody had read yet would otherwise outlive the run that replaced its record.
            if packs.containsLoaded(digest) && packs.read(digest) != nil { return digest }
            let stored = secret ? try BlobSeal.seal(bytes, address: digest, key: key!) : bytes
            _ = try stored.withUnsafeBytes { try packs.store(digest, $0) }
            return digest
        }
        let destination = path(of: digest)
        if !secret && hasExpectedSize(destination, Int64(bytes.count)) { return digest }
        if secret && access(destination, F_OK) == 0 { return digest }
        if packs.contains(digest) { return digest }
        let stored = secret ? try BlobSeal.seal(bytes, address: digest, key: key!) : bytes
        let temporary = try makeTemporaryFile(near: destination)
        do {
            try stored.withUnsafeBytes { try FileIO.writeAll(temporary.fd, $0, path: temporary.path) }
            try commit(temporary, to: destination)
        } catch {
            close(temporary.fd)
            unlink(temporary.path)
            throw error
        }
        return digest
    }

    /// Stores a file's bytes, hashing them while copying (one pass over the file).
    @discardableResult
    public func put(fileAt path: String) throws -> Digest {
        if deferredSync.isActive {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CacheError.io(operation: "read", path: path, errno: errno == 0 ? EIO : errno)
            }
            return try put([UInt8](data))
        }
        let source = try FileIO.open(path, O_RDONLY)
        defer { close(source) }
        let staging = try makeTemporaryFile(near: root.path + "/staging")
        do {
            var hasher = SHA256Hasher()
            let size = try FileIO.forEachChunk(ofFileDescriptor: source, path: path) { chunk in
                hasher.update(chunk)
                try FileIO.writeAll(staging.fd, chunk, path: staging.path)
            }
            let digest = hasher.finalize()
            let destination = self.path(of: digest)
            if hasExpectedSize(destination, size) {
                close(staging.fd)
                unlink(staging.path)
            } else {
                try commit(staging, to: destination)
            }
            return digest
        } catch {
            close(staging.fd)
            unlink(staging.path)
            throw error
        }
    }

    /// The verified bytes of a blob (opened when sealed); nil when it is missing or was damaged (then it
    /// is removed and reported). Never throws for a damaged blob: damage is a miss, not a failure.
    public func read(_ digest: Digest) throws -> [UInt8]? {
        if let bytes = packs.read(digest) { return bytes }
        let path = path(of: digest)
        guard let stored = readLoose(path, digest) else { return nil }
        guard let bytes = content.plaintext(stored, address: digest) else {
            if content.isUnopenableSeal(stored) { return nil }
            discardCorrupt(digest, path: path)
            return nil
        }
        return bytes
    }

    /// The verified bytes of each blob (nil where missing or damaged, as `read` says), neighbouring packed
    /// blobs read together (see `PackCatalog.readNeighbours`); a blob that read fails is read again alone.
    public func read(_ digests: [Digest]) -> [[UInt8]?] {
        var result = packs.readNeighbours(digests)
        for index in digests.indices where result[index] == nil {
            result[index] = (try? read(digests[index])) ?? nil
        }
        return result
    }

    /// A loose blob's stored bytes; nil when absent. Anything else at its name (a folder, a device, a file
    /// that cannot be read) is damage: removed and reported.
    private func readLoose(_ path: String, _ digest: Digest) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            discardCorrupt(digest, path: path)
            return nil
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            discardCorrupt(digest, path: path)
            return nil
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(info.st_size))
        do {
            _ = try FileIO.forEachChunk(ofFileDescriptor: fd, path: path) { bytes.append(contentsOf: $0) }
        } catch {
            discardCorrupt(digest, path: path)
            return nil
        }
        return bytes
    }

    /// Copies a verified blob to `destination` with `mode`, atomically (temp file beside it, fsync, then
    /// rename). Returns false, leaving `destination` untouched, when the blob is missing or corrupt.
    public func restore(_ digest: Digest, to destination: String, mode: UInt32) throws -> Bool {
        guard let temporary = try restoreToTemporary(digest, beside: destination, mode: mode, sync: true) else { return false }
        do {
            try FileIO.rename(temporary, destination)
        } catch {
            unlink(temporary)
            throw error
        }
        return true
    }

    /// Copies a verified blob to a new temporary file beside `destination`, with exactly `mode`, and
    /// returns its path — for callers that sync several files at once and then rename them into place.
    /// Without `sync` the bytes are not yet durable. nil when the blob is missing or corrupt.
    public func restoreToTemporary(_ digest: Digest, beside destination: String, mode: UInt32, sync: Bool) throws -> String? {
        guard let bytes = try read(digest) else { return nil }
        return try writeTemporary(bytes, beside: destination, mode: mode, sync: sync)
    }

    /// Re-hashes one blob; a corrupt one is removed (loose) or ignored from now on (packed) and reported.
    public func check(_ digest: Digest) throws -> BlobStatus {
        let path = path(of: digest)
        guard let stored = readLoose(path, digest) else {
            if packs.read(digest) != nil { return .valid }
            return packs.wasReportedCorrupt(digest) || reportedLoose.contains(digest) ? .corrupt : .missing
        }
        guard content.isIntact(stored, address: digest) else {
            discardCorrupt(digest, path: path)
            return .corrupt
        }
        return .valid
    }

    /// Deletes a blob (no error when it is already gone).
    public func remove(_ digest: Digest) throws {
        try remove([digest])
    }

    /// Deletes blobs: loose files are unlinked, packs rewritten without them (or deleted when nothing
    /// in them is left). Cheaper than one `remove` per blob, which could rewrite a pack each time.
    public func remove(_ digests: Set<Digest>) throws {
        for digest in digests {
            let path = path(of: digest)
            if unlink(path) != 0 && errno != ENOENT {
                throw CacheError.io(operation: "unlink", path: path, errno: errno)
            }
        }
        _ = try packs.remove(digests)
    }

    /// Re-hashes every packed entry (see `PackCatalog.verifyPacks`); damaged entries are dropped.
    func verifyPacks() throws -> PackCheck { try packs.verifyPacks() }

    /// Whether blobs are sealed and opened with a key (else secret outputs are not stored).
    public var hasKey: Bool { key != nil }

    /// Every blob on disk with its size and modification time. Files whose names are not digests
    /// (temporaries, strays) are skipped.
    public func allBlobs() throws -> [StoredBlob] {
        var blobs = [StoredBlob]()
        let fileManager = FileManager.default
        for prefix in (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? [] where prefix.utf8.count == 2 {
            let directory = root.path + "/" + prefix
            for rest in (try? fileManager.contentsOfDirectory(atPath: directory)) ?? [] {
                guard let digest = Digest(hex: prefix + rest), digest.hex == prefix + rest,
                      let info = try? FileIO.status(directory + "/" + rest) else { continue }
                blobs.append(StoredBlob(digest: digest, size: Int64(info.st_size),
                                        modified: Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))))
            }
        }
        var seen = Set(blobs.map(\.digest))
        for entry in packs.allEntries() where seen.insert(entry.digest).inserted {
            blobs.append(StoredBlob(digest: entry.digest, size: entry.length, modified: entry.modified))
        }
        return blobs.sorted { $0.digest < $1.digest }
    }

    /// Removes every blob and leftover temporary file.
    public func removeAll() throws {
        let fileManager = FileManager.default
        for entry in (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? [] {
            try fileManager.removeItem(atPath: root.path + "/" + entry)
        }
        packs.reset()
    }

    /// Removes temporary files that writers which crashed left behind (older than `age` seconds).
    public func removeStaleTemporaries(olderThan age: TimeInterval, now: Date = Date()) -> Int {
        var removed = 0
        let fileManager = FileManager.default
        var directories = [root.path, packs.directory]
        for entry in (try? fileManager.contentsOfDirectory(atPath: root.path)) ?? [] where entry.utf8.count == 2 {
            directories.append(root.path + "/" + entry)
        }
        for directory in directories {
            for name in (try? fileManager.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(".") {
                let path = directory + "/" + name
                guard let info = try? FileIO.status(path), (info.st_mode & S_IFMT) == S_IFREG else { continue }
                if now.timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec) > age, unlink(path) == 0 {
                    removed += 1
                }
            }
        }
        return removed + packs.removeAbandonedPacks(olderThan: age, now: now)
    }

    // MARK: - Writing

    private func writeTemporary(_ bytes: [UInt8], beside destination: String, mode: UInt32, sync: Bool) throws -> String {
        let temporary = FileIO.temporarySibling(of: destination)
        let target = try FileIO.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode_t(mode & 0o7777))
        do {
            try bytes.withUnsafeBytes { try FileIO.writeAll(target, $0, path: temporary) }
            try settle(target, at: temporary, mode: mode, sync: sync)
            close(target)
            return temporary
        } catch {
            close(target)
            unlink(temporary)
            throw error
        }
    }

    /// Gives a just-written temp file exactly `mode` — the umask may have narrowed the mode given to
    /// open(2), and outputs get exactly what was recorded — and makes it durable when asked.
    private func settle(_ fd: Int32, at temporary: String, mode: UInt32, sync: Bool) throws {
        if fchmod(fd, mode_t(mode & 0o7777)) != 0 {
            throw CacheError.io(operation: "chmod", path: temporary, errno: errno)
        }
        if sync { try FileIO.fsync(fd, path: temporary) }
    }

    private struct TemporaryFile {
        var fd: Int32
        var path: String
    }

    private func makeTemporaryFile(near destination: String) throws -> TemporaryFile {
        let path = FileIO.temporarySibling(of: destination)
        // Blobs may hold secrets (generated machine configs): owner-only. The folder usually exists, so it
        // is created only when the open says it is missing.
        do {
            return TemporaryFile(fd: try FileIO.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600), path: path)
        } catch let CacheError.io(_, _, code) where code == ENOENT || code == ENOTDIR {
            try CacheFolderRepair.ensureFolder(destination.pathDeletingLastComponent, warn: warn)
            return TemporaryFile(fd: try FileIO.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600), path: path)
        }
    }

    /// Defers durability to `syncPending()`: new blobs are appended to this process's pack file (read
    /// back from there by this process at once, by others once its index is written), not synced one
    /// by one. Callers must call `syncPending()` before recording an action that names a blob written since.
    public func beginBatch() {
        packs.retireWriterIfUnlinked()
        deferredSync.begin()
    }

    /// Writes the index of this process's pack, makes pack and index durable and ends the batch.
    ///
    /// Durable by fsyncing the pack, its index and their folder — not by a `syncfs`, which would also
    /// flush everything else dirty on the file system (the outputs, other programs' files) and wait for
    /// it. Only when a loose blob was written during the batch (a `put` racing `beginBatch`) is the whole
    /// file system synced, as that blob's own fsyncs were deferred to here.
    public func syncPending() throws {
        let wroteLoose = deferredSync.end()
        try writePendingIndex(durable: !wroteLoose)
        if wroteLoose { try syncFileSystem() }
    }

    /// Writes this process's pack index if it gained entries; `durable`: pack, index and the folders on the
    /// way to them (`packs/`, `blobs/`, the cache folder: a new cache's folders are not durable either)
    /// fsynced.
    private func writePendingIndex(durable: Bool) throws {
        guard try packs.writePendingIndex(durable: durable), durable else { return }
        FileIO.fsyncDirectory(rootPath)
        FileIO.fsyncDirectory(rootPath.pathDeletingLastComponent)
    }

    /// Makes every blob written so far durable — this process's pack and its new index fsynced — but keeps
    /// the batch open (for records committed in chunks during a run). A loose blob written since the
    /// last sync (its `put` returned: the flag is set before) needs the whole file system synced.
    public func syncWritten() throws {
        let wroteLoose = deferredSync.takeLooseWrites()
        try writePendingIndex(durable: !wroteLoose)
        if wroteLoose { try syncFileSystem() }
    }

    /// One `syncfs` of the cache's file system (data and directory entries alike).
    private func syncFileSystem() throws {
        let fd = try FileIO.open(root.path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        if FileSystemSync.syncfs(fd) != 0 {
            throw CacheError.io(operation: "syncfs", path: root.path, errno: errno)
        }
    }

    /// fsync, close and rename a fully written temporary file to its blob path (in a batch, the fsyncs
    /// wait for `syncPending()`).
    private func commit(_ temporary: TemporaryFile, to destination: String) throws {
        let deferred = deferredSync.noteLooseWrite()
        if !deferred { try FileIO.fsync(temporary.fd, path: temporary.path) }
        close(temporary.fd)
        let directory = destination.pathDeletingLastComponent
        do {
            try FileIO.rename(temporary.path, destination)
        } catch CacheError.io(_, _, ENOENT) {
            // put(fileAt:) stages in the root; the blob's folder may not exist yet.
            try FileIO.makeDirectories(directory, mode: 0o700)
            try FileIO.rename(temporary.path, destination)
        }
        if !deferred { FileIO.fsyncDirectory(directory) }
    }

    /// A present blob of the right size is taken as stored (reads verify the content anyway).
    private func hasExpectedSize(_ path: String, _ size: Int64) -> Bool {
        guard let info = try? FileIO.status(path) else { return false }
        return Int64(info.st_size) == size
    }

    private func discardCorrupt(_ digest: Digest, path: String) {
        if unlink(path) != 0 && errno != ENOENT { try? FileManager.default.removeItem(atPath: path) }
        reportedLoose.insert(digest)
        warn("cache blob \(digest.hex) was damaged (not a file, unreadable, or its content no longer matches its digest); removed it")
    }
}

/// Whether blob fsyncs are deferred, and whether a loose blob was written since the last sync (packed
/// blobs are the pack writer's to track).
private final class DeferredSync: @unchecked Sendable {
    private let lock = Lock()
    private var active = false
    private var looseWritten = false

    func begin() { lock.withLock { active = true; looseWritten = false } }

    var isActive: Bool { lock.withLock { active } }

    /// True when the loose blob's fsyncs are deferred (a batch is open).
    func noteLooseWrite() -> Bool {
        lock.withLock {
            if active { looseWritten = true }
            return active
        }
    }

    /// Whether a loose blob was written since the last call (the batch stays open).
    func takeLooseWrites() -> Bool {
        lock.withLock {
            defer { looseWritten = false }
            return looseWritten
        }
    }

    /// Ends the batch; true when a loose blob was written since the last sync.
    func end() -> Bool {
        lock.withLock {
            defer { active = false; looseWritten = false }
            return looseWritten
        }
    }
}

/// Loose blobs this process found damaged (so `check` can tell "corrupt" from "missing" once removed).
private final class ReportedDigests: @unchecked Sendable {
    private let lock = Lock()
    private var digests = Set<Digest>()

    func insert(_ digest: Digest) { lock.withLock { _ = digests.insert(digest) } }
    func contains(_ digest: Digest) -> Bool { lock.withLock { digests.contains(digest) } }
}
