import ArgumentParser
import Cache
import Diagnostics
import FoundationEssentials
import Glibc
import Stages

/// `--cache-dir`, shared by every command that reads or writes the cache.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"),
            help: ArgumentHelp("The cache folder (default: $\(CacheDirectory.environmentVariable), else cacheFolder in talos-batch.yaml, else \(CacheDirectory.defaultName)/ at the project root).",
                               valueName: "path"))
    var cacheDir: String?

    /// Where the cache lives for a project: `--cache-dir`, else `$TALOS_BATCH_CACHE_DIR`, else the project's
    /// `cacheFolder` setting, else the default folder at the project root.
    func url(projectRoot: URL, settings: ProjectSettings) -> URL {
        let environment = ProcessInfo.processInfo.environment
        if (cacheDir ?? "").isEmpty, (environment[CacheDirectory.environmentVariable] ?? "").isEmpty,
           let configured = settings.cacheFolder {
            return configured
        }
        return CacheDirectory.resolve(explicit: cacheDir, environment: environment, projectRoot: projectRoot)
    }

    /// Opens the cache of the project around the current folder (an error when that folder was deleted, or
    /// when its talos-batch.yaml is invalid).
    func open() throws -> CacheDirectory {
        let root = try ProjectRoot.locate()
        let settings: ProjectSettings
        do {
            settings = try ProjectSettings.load(root: root)
        } catch let diagnostic as Diagnostic {
            throw ProjectSettingsError.report(diagnostic)
        }
        return try open(projectRoot: root, settings: settings)
    }

    /// Opens (creating if needed) the cache; warnings go to standard error.
    func open(projectRoot: URL, settings: ProjectSettings) throws -> CacheDirectory {
        try CacheDirectory(url: url(projectRoot: projectRoot, settings: settings), warn: CacheWarning.standardError)
    }
}
