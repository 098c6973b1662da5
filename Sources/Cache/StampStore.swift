import FoundationEssentials
import Glibc

/// The stamp file of a cache folder (`<cache>/stamps`, see `StampFileFormat`): read whole at the start
/// of a run, rewritten whole (temp file + rename) when a run changed a stamp.
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
        guard let bytes = Self.readAll(url.path) else { return .empty }
        return StampFile(bytes: bytes, key: key)
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
            try spill.forEachChunk(write)
        }
    }

    /// Rewrites the file under the lock: the current records not in `removing`, then `adding` new ones
    /// streamed by `body` (temp file, then rename; the file is gone when nothing is left).
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
        let kept = current.records(excluding: removing)
        guard !kept.isEmpty || adding > 0 else {
            unlink(url.path)
            return
        }
        let temporary = FileIO.temporarySibling(of: url.path)
        let fd = try FileIO.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        do {
            var writer = StampFileWriter(fd: fd, path: temporary, count: kept.count + adding, key: key)
            for record in kept { try record.withUnsafeBytes { try writer.write($0) } }
            try body { try writer.write($0) }
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
    /// sound or absent. For `cache verify`.
    public func problem() -> String? {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "not a regular file" }
        guard let bytes = Self.readAll(url.path) else { return "unreadable" }
        if bytes.isEmpty { return nil }
        return StampFileFormat.index(bytes, key: key) == nil ? "damaged, or not written under this cache key" : nil
    }

    /// Forgets every stamp.
    public func removeAll() {
        if unlink(url.path) != 0 && errno == EISDIR { try? FileManager.default.removeItem(at: url) }
    }

    private static func readAll(_ path: String) -> [UInt8]? {
        // Non-blocking and regular files only: a FIFO or device put in its place must not hang a run.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var complete = false
        // Not zero-filled first: read(2) writes every byte (a file of megabytes at 10,000 clusters).
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size {
                let n = read(fd, buffer.baseAddress! + offset, size - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
            complete = offset == size
            initialized = offset
        }
        return complete ? bytes : nil
    }
}
