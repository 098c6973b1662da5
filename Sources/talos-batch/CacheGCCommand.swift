import ArgumentParser
import Cache

/// `talos-batch cache gc`
struct CacheGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Shrink the cache: drop least recently used action records, then unreferenced blobs.",
        discussion: """
            Records unused for longer than --max-age go first; then the least recently used ones until \
            the blobs still referenced fit in --max-size; then every blob no record refers to. Sizes: \
            500MB, 2GiB, 1.5G (kB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024). Durations: 12h, 30d, 1d12h.
            """ + "\n\n" + helpExamples("talos-batch cache gc --max-size 500MB", "talos-batch cache gc --max-age 30d"))

    @OptionGroup var cache: CacheOptions

    @Option(name: .customLong("max-size"), help: ArgumentHelp("Keep at most this many bytes of blobs.", valueName: "size"))
    var maxSize: String?

    @Option(name: .customLong("max-age"), help: ArgumentHelp("Drop records not used for this long.", valueName: "duration"))
    var maxAge: String?

    func validate() throws {
        do {
            _ = try maxSize.map(ByteSize.parse)
            _ = try maxAge.map(DurationText.parse)
        } catch let error as CacheError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let policy = GarbageCollectionPolicy(maxSize: try maxSize.map(ByteSize.parse), maxAge: try maxAge.map(DurationText.parse))
        let directory = try cache.open()
        let report = try GarbageCollector.collect(directory, policy: policy)
        print("removed \(report.removedRecords) action records and \(report.removedBlobs) blobs (\(ByteSize.format(report.freedBytes)))")
        print("kept \(report.remainingRecords) action records and \(report.remainingBlobs) blobs (\(ByteSize.format(report.remainingBytes)))")
        if report.keptRecentOrphans > 0 {
            print("kept \(report.keptRecentOrphans) recently written blobs that no record refers to yet")
        }
        if let maxSize = policy.maxSize, report.remainingBytes > maxSize {
            print("note: still above \(ByteSize.format(maxSize)) because of recently written blobs")
        }
    }
}
