import CSQLite
import FoundationEssentials
import Glibc

/// One SQLite connection with a cache of prepared statements. Not thread-safe by itself:
/// `CacheDatabase` serializes all use behind a lock.
final class SQLiteConnection {
    let path: String
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]

    /// How long a writer waits for another process's transaction before giving up.
    static let busyTimeoutMilliseconds: Int32 = 60_000

    init(path: String) throws {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(handle)
            throw CacheError.database(path: path, code: status, message: message)
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, SQLiteConnection.busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one statement (prepared once, then reused) and returns all its rows.
    @discardableResult
    func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in bindings.enumerated() {
            try check(bind(value, to: statement, at: Int32(index + 1)), sql)
        }
        var rows = [[SQLiteValue]]()
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else { try check(status, sql); return rows }
            let columns = sqlite3_column_count(statement)
            rows.append((0..<columns).map { column(statement, $0) })
        }
    }

    /// Runs one statement and hands each row to `body` as it is stepped, without collecting them (for
    /// reads of a whole table, whose materialised rows would cost several times the values kept).
    func forEachRow(_ sql: String, _ body: ([SQLiteValue]) throws -> Void) throws {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { try check(status, sql); return }
            let columns = sqlite3_column_count(statement)
            try body((0..<columns).map { column(statement, $0) })
        }
    }

    /// Runs one or more statements given as text, without caching (schema changes, pragmas).
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw CacheError.database(path: path, code: status, message: message)
        }
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`: the write lock is taken up front, so two
    /// writers queue on the busy timeout instead of deadlocking on a read-to-write upgrade.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try transaction(begin: "BEGIN IMMEDIATE", body)
    }

    /// Runs `body` inside `BEGIN … COMMIT` (a read snapshot).
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try transaction(begin: "BEGIN", body)
    }

    /// `begin`, then `body`, then COMMIT — or ROLLBACK when `body` throws. BEGIN and COMMIT are prepared
    /// once, like every other statement (a run opens thousands of read transactions: `sqlite3_exec` would
    /// parse both each time).
    private func transaction<T>(begin: String, _ body: () throws -> T) throws -> T {
        try query(begin)
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Drops cached statements (before the connection's file is replaced).
    func finalizeStatements() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    // MARK: - Private

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        try check(status, sql)
        guard let statement else { throw CacheError.database(path: path, code: SQLITE_MISUSE, message: "empty statement: \(sql)") }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteValue, to statement: OpaquePointer, at index: Int32) -> Int32 {
        // SQLITE_TRANSIENT: SQLite copies the bytes before the Swift buffer goes away.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        switch value {
        case let .integer(number): return sqlite3_bind_int64(statement, index, number)
        case let .real(number): return sqlite3_bind_double(statement, index, number)
        case let .text(string): return sqlite3_bind_text(statement, index, string, -1, transient)
        case let .blob(bytes):
            return bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), transient) }
        case .null: return sqlite3_bind_null(statement, index)
        }
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, index)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let base = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }

    private func check(_ status: Int32, _ sql: String) throws {
        guard status != SQLITE_OK && status != SQLITE_DONE && status != SQLITE_ROW else { return }
        throw CacheError.database(path: path, code: status,
                                  message: "\(String(cString: sqlite3_errmsg(handle))) (in: \(sql.prefix(80)))")
    }
}
