import FoundationEssentials
import Glibc

/// Failures of the cache's file system and database operations, worded for a person.
public enum CacheError: Error, CustomStringConvertible, Sendable {
    /// A system call failed on a path.
    case io(operation: String, path: String, errno: Int32)
    /// SQLite returned an error.
    case database(path: String, code: Int32, message: String)
    /// A value that cannot be parsed, e.g. a size or a duration.
    case invalidArgument(String)
    /// The cache folder belongs to another user: its contents could be read or rigged by them.
    case foreignCacheFolder(path: String, owner: uid_t)

    public var description: String {
        switch self {
        case let .io(operation, path, code):
            return "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case let .database(path, code, message):
            return "cache database \(path): " + Self.databaseReason(code: code, message: message)
        case let .invalidArgument(message):
            return message
        case let .foreignCacheFolder(path, owner):
            return "\(path): the cache folder belongs to another user (uid \(owner)); refusing to use it — "
                + "choose your own with --cache-dir or $\(CacheDirectory.environmentVariable)"
        }
    }

    /// SQLite's result code in words (extended codes such as 4874, SQLITE_IOERR_SHMSIZE, by their
    /// primary code); SQLite's own message for the rest.
    static func databaseReason(code: Int32, message: String) -> String {
        switch code & 0xff {
        case 10: return "disk I/O error (is the disk full?)"                // SQLITE_IOERR
        case 13: return "the disk is full"                                  // SQLITE_FULL
        case 8: return "the database is read-only (check its permissions)"  // SQLITE_READONLY
        case 14: return "cannot open the database file"                     // SQLITE_CANTOPEN
        case 11, 26: return "the database file is damaged or not a database" // SQLITE_CORRUPT, SQLITE_NOTADB
        default: return message
        }
    }
}

extension CacheError: LocalizedError {
    public var errorDescription: String? { description }
}
