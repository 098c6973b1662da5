import FoundationEssentials
import Glibc
import SystemKit

/// The cache folder: `blobs/` (content-addressed outputs) and `cache.db` (action records and file
/// states). Created owner-only (0700) because cached outputs can hold secrets.
public struct CacheDirectory: Sendable {
    /// Name of the default cache folder at the project root.
    public static let defaultName = ".talos-batch"
    /// Environment variable naming the cache folder when `--cache-dir` is not given.
    public static let environmentVariable = "TALOS_BATCH_CACHE_DIR"

    public let url: URL
    public let database: CacheDatabase
    public let blobs: BlobStore
    public let actions: ActionCache
    public let fileStates: FileStateCache
    /// Authenticates records and stamps and seals secret blobs (see `CacheKeySource`); nil without one.
    public let key: CacheKey?
    /// Where the cache's warnings go (damage found and worked around).
    public let warn: CacheWarningHandler
    /// What opening the folder had to repair (a folder narrowed to 0700, a file moved out of a folder's
    /// place): reported by `cache verify` too.
    public let repairsAtOpen: [String]

    /// `--cache-dir` if given, else `$TALOS_BATCH_CACHE_DIR`, else `<projectRoot>/.talos-batch`.
    /// Relative paths are taken from the current directory.
    public static func resolve(explicit: String?, environment: [String: String], projectRoot: URL) -> URL {
        if let explicit, !explicit.isEmpty {
            return URL(fileURLWithPath: FileStateCache.absolute(explicit))
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: FileStateCache.absolute(fromEnvironment))
        }
        return projectRoot.appendingPathComponent(defaultName)
    }

    /// Creates the folder (0700) if needed — narrowing one of ours that others could open, refusing one
    /// that belongs to another user — and opens its blob store and database. `key` defaults to the
    /// process's (`CacheKeySource.current`); nil runs without one. `clock` times file hashes.
    public init(url: URL, key: CacheKey? = CacheKeySource.current,
                warn: @escaping CacheWarningHandler = CacheWarning.standardError,
                clock: any WallClock = SystemClock()) throws {
        self.url = url
        self.key = key
        self.warn = warn
        let repairs = RepairLog()
        let logged: CacheWarningHandler = { message in
            repairs.add(message)
            warn(message)
        }
        try CacheFolderRepair.ensureCacheFolder(url.path, warn: logged)
        database = try CacheDatabase(url: url.appendingPathComponent("cache.db"), warn: warn)
        try CacheFolderRepair.ensureFolder(url.appendingPathComponent("blobs").path, warn: logged)
        try CacheFolderRepair.ensureFolder(url.appendingPathComponent("blobs/packs").path, warn: logged)
        repairsAtOpen = repairs.messages
        blobs = try BlobStore(root: url.appendingPathComponent("blobs"), key: key, warn: warn)
        actions = ActionCache(database: database, key: key, warn: warn)
        fileStates = FileStateCache(database: database, clock: clock)
    }
}

extension CacheDirectory {
    /// The clusters' stamps (regen's shortcut for clusters whose files have not changed).
    public var stamps: StampStore { StampStore(cacheFolder: url, key: key) }

    /// Empties the cache: every action record, file state, counter, stamp and blob, and any broken
    /// databases and folders moved aside earlier.
    public func clear() throws {
        stamps.removeAll()
        try actions.removeAll()
        try blobs.removeAll()
        try database.checkpoint()
        // Databases and folders moved aside (`cache.db.broken-…`, `blobs.broken-…`).
        for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] where name.contains(".broken-") {
            try FileManager.default.removeItem(at: url.appendingPathComponent(name))
        }
    }
}

/// The warnings of one `CacheDirectory.init`.
private final class RepairLog: @unchecked Sendable {
    private let lock = Lock()
    private var collected: [String] = []

    func add(_ message: String) { lock.withLock { collected.append(message) } }
    var messages: [String] { lock.withLock { collected } }
}
