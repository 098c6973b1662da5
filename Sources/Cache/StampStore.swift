import FoundationEssentials
import Glibc

/// The stamp file of a cache folder (`<cache>/stamps`, see `StampFileFormat`): opened at the start of a
/// run and read record by record, rewritten (temp file + rename) when a run changed a stamp.
///
/// Several processes may share the cache: `update` re-reads the file under an exclusive lock
/// (`stamps.lock`) and applies only this run's changes, so one process's stamps are not lost to
/// another's. The file is not synced: a crash can lose or tear it, and a torn file reads as empty —
/// every cluster then takes the ordinary path once.
public struct StampStore: Sendable {
    public static let fileName = "stamps"
    public let url: URL
    /// Authenticates the file (see `StampFileFormat.trailerHasher`).
    public let key: CacheKey?

    public init(cacheFolder: URL, key: CacheKey? = CacheKeySource.current) {
        url = cacheFolder.appendingPathComponent(Self.fileName, isDirectory: false)
        self.key = key
    }

    /// Every stamp; empty when there is no readable stamp file.
    public func load() -> StampFile {
        // Non-blocking and regular files only: a FIFO or device put in its place must not hang a run.
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .empty }
        return StampFile(fd: fd, path: url.path, key: key)
    }

    /// Stores `stamps` (replacing earlier ones of the same groups) and drops the stamps of `removing`.
    public func update(setting stamps: [Stamp], removing: Set<String>) throws {
        guard !stamps.isEmpty || !removing.isEmpty else { return }
        try rewrite(removing: removing.union(stamps.map(\.group)), adding: stamps.count) { write in
            for stamp in stamps { try StampFileFormat.encode(stamp).withUnsafeBytes { try write($0) } }
        }
    }

    /// Stores the stamps a run spilled (replacing earlier ones of the same groups), drops the stamps of
    /// `removing`, and discards the spill.
    public func update(spilled spill: StampSpill, removing: Set<String>) throws {
        defer { spill.discard() }
        guard spill.count > 0 || !removing.isEmpty else { return }
        try rewrite(removing: removing.union(spill.groups), adding: spill.count) { write in
            try spill.forEachRecord(write)
        }
    }

    /// Rewrites the file under the lock: the current records not in `removing` (copied as they are), then
    /// `adding` new ones handed by `body` one record at a time and sealed here (temp file, then rename; the
    /// file is gone when nothing is left).
    private func rewrite(removing: Set<String>, adding: Int,
                         _ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let folder = url.deletingLastPathComponent().path
        try FileIO.makeDirectories(folder, mode: 0o700)
        let lock = try FileIO.open(url.path + ".lock", O_RDWR | O_CREAT, mode: 0o600)
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            if errno != EINTR { throw CacheError.io(operation: "flock", path: url.path + ".lock", errno: errno) }
        }
        let current = load()
        let kept = current.count(excluding: removing)
        guard kept > 0 || adding > 0 else {
            unlink(url.path)
            return
        }
        let temporary = FileIO.temporarySibling(of: url.path)
        let fd = try FileIO.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        do {
            var writer = StampFileWriter(fd: fd, path: temporary, count: kept + adding, key: key)
            try current.forEachRecord(excluding: removing) { try writer.copy($0) }
            try body { try writer.seal($0) }
            try writer.finish()
            close(fd)
            try FileIO.rename(temporary, url.path)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
    }

    /// Why the stamp file cannot be used (damaged, under another key, not a regular file); nil when it is
    /// sound or absent. For `cache verify`: every record's MAC is checked.
    public func problem() -> String? {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "not a regular file" }
        if info.st_size == 0 { return nil }
        let file = load()
        guard file.intact else { return "damaged, or not written by this version" }
        let damaged = file.damagedRecords()
        return damaged == 0 ? nil : "\(damaged) of \(file.count) records damaged, or not written under this cache key"
    }

    /// Forgets every stamp.
    public func removeAll() {
        if unlink(url.path) != 0 && errno == EISDIR { try? FileManager.default.removeItem(at: url) }
    }
}
