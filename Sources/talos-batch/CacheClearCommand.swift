import ArgumentParser
import Cache

/// `talos-batch cache clear`
struct CacheClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear",
        abstract: "Empty the cache: every action record, blob, file state and counter.",
        discussion: helpExamples("talos-batch cache clear", "talos-batch cache clear --cache-dir /tmp/talos-batch-cache"))

    @OptionGroup var cache: CacheOptions

    func run() throws {
        let directory = try cache.open()
        let before = try CacheStatistics.gather(directory)
        try directory.clear()
        print("removed \(before.actions.records) action records and \(before.blobs) blobs (\(ByteSize.format(before.blobBytes))) from \(directory.url.path)")
    }
}
