import CSQLite
import FoundationEssentials
import Glibc
import SystemKit

/// The SQLite file behind the action cache and the file-state cache (`<cache>/cache.db`).
///
/// Opened in WAL mode with a busy timeout so several talos-batch processes can share it: readers
/// never block, writers take the lock up front (`BEGIN IMMEDIATE`) and queue. A file that is not
/// an SQLite database, belongs to another program, or comes from a newer schema is reported, moved
/// aside (`cache.db.broken-<time>-<pid>`) and replaced by a fresh, empty cache; so is one whose
/// pages fail SQLite's quick check. The quick check reads every page (765 MB at 100,000 clusters), so it
/// is skipped when the file is exactly as a run of this program left it (`CheckedMarker`).
public final class CacheDatabase: @unchecked Sendable {
    public let url: URL
    /// Where a broken database found at open time was moved, if one was.
    public let movedAsideTo: URL?
    /// Why it was moved aside (what `cache verify` reports).
    public let movedAsideBecause: String?
    /// Damage found at open that cost no data but must be reported (issue 19): a garbage `-wal` file
    /// (SQLite ignores it; it is reset here), an empty `cache.db` beside stored blobs (every record lost).
    public private(set) var damageAtOpen: [String] = []

    // All access to `connection` goes through `lock` — that is what makes the class Sendable.
    private let lock = Lock()
    private let connection: SQLiteConnection

    public init(url: URL, warn: @escaping CacheWarningHandler = CacheWarning.standardError) throws {
        self.url = url
        let path = url.path
        try FileIO.makeDirectories(path.pathDeletingLastComponent, mode: 0o700)
        let replaced = try CacheDatabase.moveAsideIfNotRegular(path, warn: warn)
        let walProblem = WriteAheadLogHeader.problem(atPath: path + "-wal")
        let emptyBesideBlobs = CacheDatabase.isEmptyBesideBlobs(path)
        try CacheDatabase.createOwnerOnly(path)
        let first = try SQLiteConnection(path: path)
        if let problem = try CacheDatabase.prepare(first, path: path, trustMarker: true) {
            first.finalizeStatements()
            let (connection, movedTo) = try CacheDatabase.recover(path: path, problem: problem, warn: warn)
            self.connection = connection
            self.movedAsideTo = movedTo ?? replaced.map { URL(fileURLWithPath: $0.aside) }
            self.movedAsideBecause = movedTo == nil ? replaced?.problem : problem
        } else {
            self.connection = first
            self.movedAsideTo = replaced.map { URL(fileURLWithPath: $0.aside) }
            self.movedAsideBecause = replaced?.problem
        }
        if let walProblem {
            // A log SQLite could not use holds nothing of ours; truncating it leaves the database as it is.
            try? lock.withLock { _ = try connection.query("PRAGMA wal_checkpoint(TRUNCATE)") }
            damageAtOpen.append("\(url.lastPathComponent)-wal: \(walProblem); SQLite ignored it, reset it")
        }
        if emptyBesideBlobs {
            damageAtOpen.append("\(url.lastPathComponent): empty while blobs are stored (every action record was lost); "
                                + "stages run again and record anew")
        }
        for problem in damageAtOpen { warn("\(url.deletingLastPathComponent().path.pathAppending(problem))") }
    }

    /// An existing, empty database file (no log beside it) in a cache folder that holds blobs: its
    /// records were lost (truncated, replaced by an empty file). A fresh cache has no blobs yet.
    private static func isEmptyBesideBlobs(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size == 0 else { return false }
        if lstat(path + "-wal", &info) == 0, info.st_size > 0 { return false }
        let blobs = path.pathDeletingLastComponent.pathAppending("blobs")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []
        return entries.contains { $0 != "packs" }
            || !((try? FileManager.default.contentsOfDirectory(atPath: blobs + "/packs")) ?? []).isEmpty
    }

    /// Runs reads as one transaction, so they all see the same snapshot even while other
    /// processes write (WAL readers never wait for writers).
    @discardableResult
    func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try forgettingMarkerOnDamage { try lock.withLock { try connection.readTransaction { try body(connection) } } }
    }

    /// Runs `body` as one write transaction taken with `BEGIN IMMEDIATE`.
    @discardableResult
    func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try forgettingMarkerOnDamage { try lock.withLock { try connection.writeTransaction { try body(connection) } } }
    }

    /// Damage SQLite found mid-run (behind a file the marker vouched for) brings the quick check back
    /// for the next open, which then moves the file aside.
    private func forgettingMarkerOnDamage<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let CacheError.database(_, code, _) where Self.isBrokenFile(code) {
            CheckedMarker.forget(databasePath: url.path)
            throw CacheError.database(path: url.path, code: code, message: "the database file is damaged")
        }
    }

    /// Notes that the file is sound as this process leaves it (the run that opened it is done with it and
    /// saw no damage): the write-ahead log is folded in and emptied, and the file's `stat` state recorded,
    /// so the next open can skip the quick check while the file stays exactly so. Best effort: when other
    /// processes still use the log, nothing is recorded and the next open checks.
    public func noteSound() {
        lock.withLock {
            guard let rows = try? connection.query("PRAGMA wal_checkpoint(TRUNCATE)"),
                  rows.first?.first?.integer == 0 else { return }
            CheckedMarker.record(databasePath: url.path)
        }
    }

    /// SQLite's own consistency check; returns the problems found (empty when the file is sound).
    public func integrityProblems() throws -> [String] {
        let rows = try lock.withLock { try connection.query("PRAGMA integrity_check") }
        let messages = rows.map { $0.first?.text ?? "" }
        return messages == ["ok"] ? [] : messages
    }

    /// Folds the write-ahead log back into the main file as far as other processes' readers allow
    /// (PASSIVE: never waits for them, never holds up their writes).
    public func checkpoint() throws {
        try lock.withLock { try connection.execute("PRAGMA wal_checkpoint(PASSIVE)") }
    }

    // MARK: - Opening

    /// Sets the connection up and brings the schema to the current version. Returns why the file
    /// cannot be used as our cache, or nil when it is ready.
    private static func prepare(_ connection: SQLiteConnection, path: String, trustMarker: Bool) throws -> String? {
        do {
            // Classified before anything is changed: another program's database is left as it was.
            if let problem = try classify(connection) { return problem }
            // Damaged pages behind a good header would otherwise surface as errors mid-run. The
            // check reads every page once — about a millisecond for a few hundred kilobytes, a second or
            // more for hundreds of megabytes: skipped when the file is as a clean run of ours left it.
            if !(trustMarker && CheckedMarker.holds(databasePath: path)) {
                CheckedMarker.forget(databasePath: path)
                let check = try connection.query("PRAGMA quick_check(5)").map { $0.first?.text ?? "" }
                if check != ["ok"] { return "damaged (\(check.joined(separator: "; ")))" }
            }
            try retryingWhileBusy { _ = try connection.query("PRAGMA journal_mode=WAL") }
            try connection.execute("PRAGMA synchronous=NORMAL")
            // Up to 16 MiB of pages kept between transactions (SQLite's default is 2 MiB): a restore looks up
            // records all over a cache of a few megabytes per 1,000 clusters, and each page missed is a `pread`
            // (about nine per cluster with the default). Filled only as pages are read; bounded at any size.
            try connection.execute("PRAGMA cache_size=-16384")
            let version = try connection.query("PRAGMA user_version").first?.first?.integer ?? 0
            if version == CacheSchema.currentVersion { return nil }
            return try connection.writeTransaction {
                // Checked again under the write lock: another process may have migrated meanwhile.
                if let problem = try classify(connection) { return problem }
                var version = try connection.query("PRAGMA user_version").first?.first?.integer ?? 0
                if version == 0 {
                    try connection.execute("PRAGMA application_id=\(CacheSchema.applicationID)")
                }
                while version < CacheSchema.currentVersion {
                    try connection.execute(CacheSchema.migrations[Int(version)])
                    version += 1
                    try connection.execute("PRAGMA user_version=\(version)")
                }
                return nil
            }
        } catch let CacheError.database(_, code, _) where isBrokenFile(code) {
            return "not a usable SQLite database (\(String(cString: sqlite3_errstr(code))))"
        }
    }

    /// nil when the file is ours (at any known schema version) or empty.
    private static func classify(_ connection: SQLiteConnection) throws -> String? {
        let applicationID = try connection.query("PRAGMA application_id").first?.first?.integer ?? 0
        let version = try connection.query("PRAGMA user_version").first?.first?.integer ?? 0
        let objects = try connection.query("SELECT count(*) FROM sqlite_master").first?.first?.integer ?? 0
        if applicationID == 0 && version == 0 && objects == 0 { return nil }
        if applicationID != CacheSchema.applicationID {
            return "not a talos-batch cache (an SQLite database of another program)"
        }
        if version > CacheSchema.currentVersion {
            return "written by a newer talos-batch (schema version \(version); this one knows up to \(CacheSchema.currentVersion))"
        }
        return nil
    }

    private static func isBrokenFile(_ code: Int32) -> Bool {
        let primary = code & 0xff
        return primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT
    }

    /// Moves a broken database aside (under an exclusive lock, after checking again that no other
    /// process already replaced it) and opens a fresh one.
    private static func recover(path: String, problem: String,
                                warn: CacheWarningHandler) throws -> (SQLiteConnection, URL?) {
        let lockPath = path + ".lock"
        let lockFD = try FileIO.open(lockPath, O_RDWR | O_CREAT, mode: 0o600)
        defer { close(lockFD) }
        while flock(lockFD, LOCK_EX) != 0 {
            if errno != EINTR { throw CacheError.io(operation: "flock", path: lockPath, errno: errno) }
        }
        defer { flock(lockFD, LOCK_UN) }

        let again = try SQLiteConnection(path: path)
        guard try prepare(again, path: path, trustMarker: false) != nil else {
            return (again, nil)   // another process already replaced it
        }
        again.finalizeStatements()
        let stamp = Date.ISO8601FormatStyle(dateSeparator: .omitted, dateTimeSeparator: .standard, timeSeparator: .omitted,
                                            timeZone: .gmt).format(Date())
            .replacing(":", with: "")
        let aside = "\(path).broken-\(stamp)-\(getpid())"
        try FileIO.rename(path, aside)
        for suffix in ["-wal", "-shm"] where access(path + suffix, F_OK) == 0 {
            _ = Glibc.rename(path + suffix, aside + suffix)
        }
        warn("\(path): \(problem); moved it aside to \(aside) and started a fresh cache")
        try CacheDatabase.createOwnerOnly(path)
        let fresh = try SQLiteConnection(path: path)
        if let problem = try prepare(fresh, path: path, trustMarker: false) {
            throw CacheError.database(path: path, code: SQLITE_CANTOPEN, message: "cannot create a fresh cache: \(problem)")
        }
        return (fresh, URL(fileURLWithPath: aside))
    }

    /// A FIFO, device, folder or symbolic link in the place of the database or its -wal/-shm files would
    /// hang SQLite or make it write elsewhere: such an entry is moved aside (with its companions).
    private static func moveAsideIfNotRegular(_ path: String, warn: CacheWarningHandler) throws -> (aside: String, problem: String)? {
        for suffix in ["", "-wal", "-shm"] {
            var info = stat()
            guard lstat(path + suffix, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG else { continue }
            let aside = "\(path).broken-\(Int(Date().timeIntervalSince1970))-\(getpid())"
            for companion in ["", "-wal", "-shm"] where lstat(path + companion, &info) == 0 {
                try FileIO.rename(path + companion, aside + companion)
            }
            let problem = "\((path + suffix).pathLastComponent) is not a regular file"
            warn("\(path): \(problem); moved it aside to \(aside) and started a fresh cache")
            return (aside, problem)
        }
        return nil
    }

    /// Creates a missing database file with mode 0600 before SQLite does (its -wal and -shm files
    /// copy the database's permissions). An existing file is never opened here: closing any
    /// descriptor of a database releases every POSIX lock this process's SQLite connections hold on it.
    private static func createOwnerOnly(_ path: String) throws {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
        } else if errno != EEXIST {
            throw CacheError.io(operation: "create", path: path, errno: errno)
        }
    }

    /// Retries a statement SQLite refused with SQLITE_BUSY/LOCKED outside the busy handler's reach
    /// (switching journal mode while another process opens the file).
    private static func retryingWhileBusy(_ body: () throws -> Void) throws {
        let deadline = Date().addingTimeInterval(Double(SQLiteConnection.busyTimeoutMilliseconds) / 1000)
        while true {
            do {
                try body()
                return
            } catch let CacheError.database(_, code, _) where (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED {
                if Date() > deadline { throw CacheError.database(path: "", code: code, message: "database stayed locked") }
                usleep(10_000)
            }
        }
    }
}
