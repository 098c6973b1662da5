import ArgumentParser
import Cache

/// `talos-batch cache verify`
struct CacheVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the whole cache; drop damaged blobs and records, rebuild lost pack indexes.",
        discussion: "Exits with status 1 when anything was wrong (after repairing what it could)." + "\n\n" + helpExamples("talos-batch cache verify", "talos-batch cache verify || echo \"the cache was damaged and repaired\""))

    @OptionGroup var cache: CacheOptions

    func run() throws {
        let directory = try cache.open()
        let report = try CacheVerifier.verify(directory)
        for line in report.problemLines { print(line) }
        print(report.summary)
        if !report.isClean { throw ExitCode(1) }
    }
}
