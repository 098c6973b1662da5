import FileAccess
import FoundationEssentials
import Glibc
import SystemKit

/// Remembers file digests by path and `stat` state so unchanged files are not read again, stored
/// in the cache database (`file_states`). A file whose state differs, or whose timestamps are too
/// close to when it was hashed to be trusted (see `FileStateRecord.isValid`), is hashed again.
public final class FileStateCache: Sendable {
    public let database: CacheDatabase
    /// When a file was hashed, for the racy-timestamp rule.
    public let clock: any WallClock
    private let hashes = HashCounter()
    private let batch = FileStateBatch()

    public init(database: CacheDatabase, clock: any WallClock = SystemClock()) {
        self.database = database
        self.clock = clock
    }

    /// The SHA-256 of the file at `path` (made absolute), from the record when it can be trusted.
    public func digest(ofFileAtPath path: String) throws -> Digest {
        try digestAndMode(ofFileAtPath: path).digest
    }

    /// The digest and permission bits of a file from one `stat` (an output check needs both).
    public func digestAndMode(ofFileAtPath path: String) throws -> (digest: Digest, mode: UInt32) {
        let path = FileStateCache.absolute(path)
        let info = try FileIO.status(path)
        let mode = UInt32(info.st_mode) & 0o7777
        let current = FileState(info)
        if let record = try record(forPath: path), record.isValid(for: current) {
            return (record.digest, mode)
        }
        return (try hash(path: path), mode)
    }

    /// The file's state, digest and permission bits when a trusted record vouches for its current state
    /// (nothing is read); nil when there is none, or the file changed since, or is too new to trust.
    public func trustedState(ofFileAtPath path: String) -> (state: FileState, digest: Digest, mode: UInt32)? {
        let path = FileStateCache.absolute(path)
        guard let info = try? FileIO.status(path) else { return nil }
        let current = FileState(info)
        guard let stored = try? record(forPath: path), stored.isValid(for: current) else { return nil }
        return (current, stored.digest, UInt32(info.st_mode) & 0o7777)
    }

    /// Reads and hashes a file, and records its state when it did not change meanwhile.
    /// Only regular files are hashed (`RegularFile`): a FIFO or device in an input's place is an error, not a hang.
    private func hash(path: String) throws -> Digest {
        // Hashing streams a large file, so it needs no size limit; a regular file always ends.
        let (fd, info) = try RegularFile.open(path, limit: .max)
        defer { close(fd) }
        let before = FileState(info)
        let hashedAt = clock.nanosecondsSince1970
        let digest = try Self.digest(ofFileDescriptor: fd, size: Int(info.st_size), path: path)
        hashes.increment()
        // A file that changed while being read gets no record; the next call hashes it again.
        if try FileState.of(descriptor: fd, path: path) == before {
            try store(path: path, FileStateRecord(state: before, digest: digest, hashedNanoseconds: hashedAt))
        }
        return digest
    }

    /// The SHA-256 of an open file whose `fstat` said `size`. A small file (every input of a fleet) is read
    /// with one call into a buffer of that size plus a byte (which tells a file that grew: its rest is then
    /// streamed), without the 256 KiB staging buffer and read-ahead advice a large file gets.
    static func digest(ofFileDescriptor fd: Int32, size: Int, path: String) throws -> Digest {
        guard size < 1 << 20 else { return try Digest.ofFile(descriptor: fd, path: path).digest }
        var hasher = SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 1, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < buffer.count {
            let count = try FileIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]), path: path)
            if count == 0 { break }
            filled += count
        }
        hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<filled]))
        if filled == buffer.count {
            _ = try FileIO.forEachChunk(ofFileDescriptor: fd, path: path) { hasher.update($0) }
        }
        return hasher.finalize()
    }

    /// Starts answering from memory: every stored record is read in one query, and new records are kept
    /// in memory until `flush()` writes them in one transaction. Records are hints checked against
    /// `stat` on every use, so one written late (or lost in a crash) only costs a re-hash.
    /// With `preload` false (a run over a few clusters of a big cache), records are still read one by
    /// one, and only the writes are batched.
    public func beginBatch(preload: Bool = true) throws {
        guard preload else {
            batch.begin([:], complete: false)
            return
        }
        var records: [UInt64: FileStateRecord] = [:]
        try database.read { db in
            try db.forEachRow("SELECT path, device, inode, size, mtime_ns, ctime_ns, digest, hashed_ns FROM file_states") { row in
                guard let record = Self.record(row, from: 1) else { return }
                records[FileStateBatch.key(row[0].text)] = record
            }
        }
        batch.begin(records, complete: true)
    }

    /// Writes the records noted since `beginBatch()` in one transaction and returns to per-call reads.
    public func flush() throws {
        let pending = batch.end()
        guard !pending.isEmpty else { return }
        try database.write { db in
            for (path, record) in pending.sorted(by: { $0.key < $1.key }) { try Self.insert(path: path, record, db) }
        }
    }

    /// The stored record for an absolute path, if any.
    public func record(forPath path: String) throws -> FileStateRecord? {
        if let answer = batch.lookup(path) { return answer }
        return try database.read { db in
            guard let row = try db.query("""
                SELECT device, inode, size, mtime_ns, ctime_ns, digest, hashed_ns FROM file_states WHERE path = ?
                """, [.text(path)]).first else { return nil }
            return Self.record(row, from: 0)
        }
    }

    /// A record from the columns device, inode, size, mtime_ns, ctime_ns, digest, hashed_ns at `first`.
    private static func record(_ row: [SQLiteValue], from first: Int) -> FileStateRecord? {
        guard let digest = row[first + 5].digest else { return nil }
        let state = FileState(device: UInt64(bitPattern: row[first].integer), inode: UInt64(bitPattern: row[first + 1].integer),
                              size: row[first + 2].integer, modifiedNanoseconds: row[first + 3].integer,
                              changedNanoseconds: row[first + 4].integer)
        return FileStateRecord(state: state, digest: digest, hashedNanoseconds: row[first + 6].integer)
    }

    /// Drops records of files that no longer exist; returns how many.
    public func forgetMissingFiles() throws -> Int {
        let paths = try database.read { db in try db.query("SELECT path FROM file_states").map { $0[0].text } }
        let missing = paths.filter { access($0, F_OK) != 0 && errno == ENOENT }
        guard !missing.isEmpty else { return 0 }
        try database.write { db in
            for path in missing { try db.query("DELETE FROM file_states WHERE path = ?", [.text(path)]) }
        }
        return missing.count
    }

    /// How many times this instance actually read a file's content (the rest came from records).
    public var filesHashed: Int { hashes.value }

    private func store(path: String, _ record: FileStateRecord) throws {
        if batch.note(path, record) {
            // Written in chunks so a run that hashes many files (the first after a cold run) does not
            // keep every new path in memory until the end.
            if let chunk = batch.takePending(atLeast: 4096) {
                try database.write { db in
                    for (path, record) in chunk { try Self.insert(path: path, record, db) }
                }
            }
            return
        }
        try database.write { db in try Self.insert(path: path, record, db) }
    }

    private static func insert(path: String, _ record: FileStateRecord, _ db: SQLiteConnection) throws {
            try db.query("""
                INSERT OR REPLACE INTO file_states (path, device, inode, size, mtime_ns, ctime_ns, digest, hashed_ns)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(path), .integer(Int64(bitPattern: record.state.device)),
                      .integer(Int64(bitPattern: record.state.inode)), .integer(record.state.size),
                      .integer(record.state.modifiedNanoseconds), .integer(record.state.changedNanoseconds),
                      record.digest.sqlite, .integer(record.hashedNanoseconds)])
    }

    /// `path` made absolute and lexically normalised ("//", "." and ".." folded), without touching the
    /// file system: records are keyed by this string but always checked against `stat`, so two spellings
    /// of one file (through a symlink) only mean two records, never a wrong answer.
    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if isNormal(full) { return full }
        var parts: [Substring] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// No "//", no "." or ".." component, no trailing "/" (a plain byte scan: Foundation's substring
    /// search costs more than the stat it guards).
    private static func isNormal(_ path: String) -> Bool {
        var previous: UInt8 = 0
        var componentStart = true
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if previous == UInt8(ascii: "/") || (dots > 0 && dots <= 2) { return false }
                componentStart = true
                dots = 0
            } else if byte == UInt8(ascii: ".") && (componentStart || dots > 0) {
                dots += 1
                componentStart = false
            } else {
                componentStart = false
                dots = -1
            }
            previous = byte
        }
        return previous != UInt8(ascii: "/") && !(dots > 0 && dots <= 2)
    }

}

/// A thread-safe count.
private final class HashCounter: @unchecked Sendable {
    private let lock = Lock()
    private var count = 0

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

/// File-state records held in memory while a batch is open, plus the ones still to be written.
///
/// Loaded records are keyed by a 64-bit hash of the path rather than the path itself (a third of the
/// memory at 10,000 clusters). A collision cannot give a wrong digest: a record is only used when its
/// device, inode, size and times match what `stat` says about the path now — the same file.
private final class FileStateBatch: @unchecked Sendable {
    private let lock = Lock()
    private var records: [UInt64: FileStateRecord]?
    private var pending: [String: FileStateRecord] = [:]
    /// Whether `records` holds every stored record (then a path not in it has none).
    private var complete = false

    static func key(_ path: String) -> UInt64 { FNV1a.hash(path) }

    func begin(_ loaded: [UInt64: FileStateRecord], complete: Bool) {
        lock.withLock { records = loaded; pending = [:]; self.complete = complete }
    }

    /// Returns the pending records and closes the batch.
    func end() -> [String: FileStateRecord] {
        lock.withLock {
            defer { records = nil; pending = [:] }
            return pending
        }
    }

    /// nil when the database must be asked; .some(nil) when the batch knows there is no record.
    func lookup(_ path: String) -> FileStateRecord?? {
        let key = Self.key(path)
        return lock.withLock {
            guard let records else { return nil }
            if let record = records[key] { return .some(record) }
            return complete ? .some(nil) : nil
        }
    }

    /// The pending records once there are at least `count` of them (they count as written from here on).
    func takePending(atLeast count: Int) -> [String: FileStateRecord]? {
        lock.withLock {
            guard pending.count >= count else { return nil }
            defer { pending = [:] }
            return pending
        }
    }

    /// Keeps a record in memory; false when no batch is open.
    func note(_ path: String, _ record: FileStateRecord) -> Bool {
        let key = Self.key(path)
        return lock.withLock {
            guard records != nil else { return false }
            records![key] = record
            pending[path] = record
            return true
        }
    }
}
