import Foundation

/// Remembers file digests by path and `stat` state so unchanged files are not read again, stored
/// in the cache database (`file_states`). A file whose state differs, or whose timestamps are too
/// close to when it was hashed to be trusted (see `FileStateRecord.isValid`), is hashed again.
public final class FileStateCache: Sendable {
    public let database: CacheDatabase
    private let hashes = HashCounter()

    public init(database: CacheDatabase) {
        self.database = database
    }

    /// The SHA-256 of the file at `path` (made absolute), from the record when it can be trusted.
    public func digest(ofFileAtPath path: String) throws -> Digest {
        let path = FileStateCache.absolute(path)
        let current = try FileState.of(path: path)
        if let record = try record(forPath: path), record.isValid(for: current) {
            return record.digest
        }
        let fd = try FileIO.open(path, O_RDONLY)
        defer { close(fd) }
        let before = try FileState.of(descriptor: fd, path: path)
        let hashedAt = FileStateCache.nowNanoseconds()
        let digest = try Digest.ofFile(descriptor: fd, path: path).digest
        hashes.increment()
        // A file that changed while being read gets no record; the next call hashes it again.
        if try FileState.of(descriptor: fd, path: path) == before {
            try store(path: path, FileStateRecord(state: before, digest: digest, hashedNanoseconds: hashedAt))
        }
        return digest
    }

    /// The stored record for an absolute path, if any.
    public func record(forPath path: String) throws -> FileStateRecord? {
        try database.read { db in
            guard let row = try db.query("""
                SELECT device, inode, size, mtime_ns, ctime_ns, digest, hashed_ns FROM file_states WHERE path = ?
                """, [.text(path)]).first, let digest = row[5].digest else { return nil }
            let state = FileState(device: UInt64(bitPattern: row[0].integer), inode: UInt64(bitPattern: row[1].integer),
                                  size: row[2].integer, modifiedNanoseconds: row[3].integer, changedNanoseconds: row[4].integer)
            return FileStateRecord(state: state, digest: digest, hashedNanoseconds: row[6].integer)
        }
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
        try database.write { db in
            try db.query("""
                INSERT OR REPLACE INTO file_states (path, device, inode, size, mtime_ns, ctime_ns, digest, hashed_ns)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(path), .integer(Int64(bitPattern: record.state.device)),
                      .integer(Int64(bitPattern: record.state.inode)), .integer(record.state.size),
                      .integer(record.state.modifiedNanoseconds), .integer(record.state.changedNanoseconds),
                      record.digest.sqlite, .integer(record.hashedNanoseconds)])
        }
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }

    static func nowNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}

/// A thread-safe count.
private final class HashCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
