import ArgumentParser
import Cache
import SystemKit

/// `talos-batch cache stats`
struct CacheStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show how many action records and blobs the cache holds, and its hits and misses.",
        discussion: helpExamples("talos-batch cache stats", "talos-batch cache stats --cache-dir /tmp/talos-batch-cache"))

    @OptionGroup var cache: CacheOptions

    func run() throws {
        let directory = try cache.open()
        let stats = try CacheStatistics.gather(directory)
        let lookups = stats.actions.hits + stats.actions.misses
        let rate = lookups == 0 ? "" : String(cFormat: " (hit rate %.1f%%)", Double(stats.actions.hits) * 100 / Double(lookups))
        print("""
            cache:          \(directory.url.path)
            action records: \(stats.actions.records)
            blobs:          \(stats.blobs) (\(ByteSize.format(stats.blobBytes)))
            file states:    \(stats.actions.fileStates)
            hits:           \(stats.actions.hits)
            misses:         \(stats.actions.misses)\(rate)
            database:       \(ByteSize.format(stats.databaseBytes))
            """)
    }
}
