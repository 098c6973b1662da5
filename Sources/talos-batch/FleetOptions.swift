import ArgumentParser
import Cache
import Diagnostics
import FoundationEssentials
import Glibc
import Runner
import Stages
import SystemKit

/// Where the fleet and the cache are.
struct FleetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The project root holding talos/clusters or talos-batch.yaml (default: the nearest such folder upward from here).", valueName: "dir"))
    var root: String?

    @OptionGroup var cacheOptions: CacheOptions

    func fleet() throws -> Fleet {
        let cwd = try WorkingDirectory.url()
        let rootURL: URL
        if let root {
            rootURL = URL(fileURLWithPath: root, relativeTo: cwd).standardizedFileURL
            guard FileManager.default.fileExists(atPath: rootURL.appendingPathComponent("talos/clusters").path)
                || FileManager.default.fileExists(atPath: rootURL.appendingPathComponent(ProjectSettings.fileName).path) else {
                throw ValidationError("\(root) holds no talos/clusters folder and no \(ProjectSettings.fileName)")
            }
        } else {
            guard let found = Fleet.locateRoot(from: cwd) else {
                throw ValidationError("no talos/clusters folder or \(ProjectSettings.fileName) here or in any parent folder; run from the project or pass --root")
            }
            rootURL = found
        }
        do {
            return try Fleet(root: rootURL)
        } catch let diagnostic as Diagnostic {
            throw ProjectSettingsError.report(diagnostic)
        }
    }

    func cache(for fleet: Fleet) throws -> CacheDirectory {
        try cacheOptions.open(projectRoot: fleet.layout.root, settings: fleet.settings)
    }

    /// Where the fleet's cache lives, without opening it.
    func cacheFolder(for fleet: Fleet) -> URL {
        cacheOptions.url(projectRoot: fleet.layout.root, settings: fleet.settings)
    }
}

/// Which clusters a command works on.
struct SelectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Cluster ids (101 or cluster-101).", valueName: "cluster"), completion: ClusterCompletion.kind)
    var clusters: [String] = []

    @Flag(name: .long, help: "Every cluster under talos/clusters.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("Only the K-th of N stable parts of the selection (CI matrix jobs), e.g. 1/3.", valueName: "K/N"))
    var shard: String?

    func validate() throws {
        if all && !clusters.isEmpty { throw ValidationError("give cluster ids or --all, not both") }
        if !all && clusters.isEmpty { throw ValidationError("name the clusters to work on, or pass --all") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard expects K/N with 1 <= K <= N, got '\(shard)'") }
    }

    func resolve(in fleet: Fleet) throws -> [String] {
        var ids: [String]
        if all {
            ids = fleet.clusterIDs
        } else {
            ids = []
            for argument in clusters {
                guard let id = fleet.resolve(argument) else {
                    throw ValidationError("no cluster '\(argument)' under \(FleetLayout.displayPath(fleet.layout.clusters.path))")
                }
                if !ids.contains(id) { ids.append(id) }
            }
        }
        if let text = shard, let shard = Shard(text) {
            ids = ids.filter(shard.contains)
        }
        do {
            try fleet.checkOutputFolder(of: ids)
        } catch let diagnostic as Diagnostic {
            throw ProjectSettingsError.report(diagnostic)
        }
        return ids
    }
}

/// A problem with the project's talos-batch.yaml (or the folders it names): printed as the positioned
/// diagnostic it is (`file:line:col: error: …` at the start of the line, for editors), exit status 1 — not
/// a usage error, so no usage text.
enum ProjectSettingsError {
    static func report(_ diagnostic: Diagnostic) -> ExitCode {
        StandardStream.standardError.write(Data((diagnostic.description + "\n").utf8))
        return ExitCode(1)
    }
}

/// Prints diagnostics the way compilers do, on stderr.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [Diagnostic], style: TerminalStyle = TerminalStyle(colored: false)) {
        for diagnostic in diagnostics {
            StandardStream.standardError.write(Data((style.diagnostic(diagnostic) + "\n").utf8))
        }
    }
}
