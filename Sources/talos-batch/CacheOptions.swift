import ArgumentParser
import Cache
import Foundation

/// `--cache-dir`, shared by every command that reads or writes the cache.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"),
            help: ArgumentHelp("The cache folder (default: $\(CacheDirectory.environmentVariable), else \(CacheDirectory.defaultName)/ at the project root).",
                               valueName: "path"))
    var cacheDir: String?

    /// Where the cache lives for a project.
    func url(projectRoot: URL) -> URL {
        CacheDirectory.resolve(explicit: cacheDir, environment: ProcessInfo.processInfo.environment,
                               projectRoot: projectRoot)
    }

    /// Opens the cache of the project around the current folder (an error when that folder was deleted).
    func open() throws -> CacheDirectory {
        try open(projectRoot: try ProjectRoot.locate())
    }

    /// Opens (creating if needed) the cache; warnings go to standard error.
    func open(projectRoot: URL) throws -> CacheDirectory {
        try CacheDirectory(url: url(projectRoot: projectRoot), warn: CacheWarning.standardError)
    }
}
