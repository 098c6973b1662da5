import ArgumentParser

/// `talos-batch cache …`: look after the content-addressed cache.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Inspect, check and shrink the build cache.",
        discussion: helpExamples("talos-batch cache stats", "talos-batch cache gc --max-size 2GiB --max-age 30d"),
        subcommands: [
            CacheStatsCommand.self,
            CacheVerifyCommand.self,
            CacheGCCommand.self,
            CacheClearCommand.self,
            CacheHashCommand.self,
        ]
    )
}
