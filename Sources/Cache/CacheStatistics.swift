import FoundationEssentials
import Glibc

/// Everything `cache stats` shows.
public struct CacheStatistics: Sendable, Hashable {
    public var actions: ActionCacheStatistics
    public var blobs: Int
    public var blobBytes: Int64
    /// Size of cache.db and its write-ahead log.
    public var databaseBytes: Int64

    public static func gather(_ cache: CacheDirectory) throws -> CacheStatistics {
        let blobs = try cache.blobs.allBlobs()
        let databaseBytes = ["", "-wal"].reduce(Int64(0)) { total, suffix in
            total + ((try? FileIO.status(cache.database.url.path + suffix)).map { Int64($0.st_size) } ?? 0)
        }
        return CacheStatistics(actions: try cache.actions.statistics(), blobs: blobs.count,
                               blobBytes: blobs.reduce(0) { $0 + $1.size }, databaseBytes: databaseBytes)
    }
}
