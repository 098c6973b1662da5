import ArgumentParser
import Cache
import Foundation
import Runner
import Stages

struct RegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regen",
        abstract: "Regenerate clusters (validate → render → genconfig → admin certificate → talosconfig), redoing only what changed.")

    @OptionGroup var fleetOptions: FleetOptions
    @OptionGroup var selection: SelectionOptions

    @Option(name: [.short, .long], help: "Stages to run at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Run every stage even when its cached result is current.")
    var force = false

    @Flag(help: "After a failure, keep going with the other clusters (default) or stop starting stages.")
    var onFailure: FailureMode = .keepGoing

    @Flag(help: "Print a JSON report (per cluster and stage: status, key, duration, changed inputs) on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Write a Chrome trace-event file (chrome://tracing, Perfetto) with one span per stage.", valueName: "file"))
    var trace: String?

    @Option(help: ArgumentHelp("Append a Markdown summary (counts, regenerated clusters, failures) to a file, e.g. $GITHUB_STEP_SUMMARY.", valueName: "file"))
    var summaryMarkdown: String?

    @Option(help: "Progress output: auto (a live line on a terminal), line (one line per stage), none.")
    var progress: ProgressMode = .auto

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let fleet = try fleetOptions.fleet()
        let ids = try selection.resolve(in: fleet)
        let cacheFolder = fleetOptions.cacheFolder(for: fleet)
        var options = RegenOptions(jobs: jobs, force: force, failFast: onFailure == .failFast,
                                   toolVersion: TalosBatchVersion.string)
        options.reportsStageDetails = json
        // The database is opened only when some cluster's stamp does not hold (a no-op never opens it).
        let runner = RegenRunner(fleet: fleet, cacheFolder: cacheFolder, options: options) {
            try CacheDirectory(url: cacheFolder, warn: CacheWarning.standardError)
        }
        let printer = RegenProgressPrinter(mode: progress, toStandardError: json)
        // Without progress output there is nothing to observe (and no per-cluster outcome to build for it).
        if progress != .none { runner.observer = printer }
        let report = runner.run(clusters: ids)
        printer.finish()

        if let trace {
            try Data(report.traceJSON().utf8).write(to: URL(fileURLWithPath: trace), options: .atomic)
        }
        if let summaryMarkdown {
            let changed = try DiffStatRollUp.markdown(report, fleet: fleet) {
                try CacheDirectory(url: cacheFolder, warn: CacheWarning.standardError)
            }
            try RegenMarkdownSummary.append(RegenMarkdownSummary.text(report, shard: selection.shard) + changed, to: summaryMarkdown)
        }
        DiagnosticPrinter.print(report.diagnostics)
        if json {
            FileHandle.standardOutput.write(Data(report.json().utf8))
        } else {
            print(RegenSummary.text(report))
        }
        if !report.succeeded { throw ExitCode(1) }
    }
}

enum FailureMode: String, EnumerableFlag {
    case keepGoing, failFast
}

enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, line, none
}

/// The closing lines of a regen: counts, then each failed cluster with its first messages.
enum RegenSummary {
    static func text(_ report: RegenReport) -> String {
        let seconds = String(format: "%.2f", report.elapsed)
        var lines = ["regen: \(report.clusters.count) cluster(s): \(report.count(.ran)) ran, \(report.count(.fresh)) fresh, "
                     + "\(report.count(.restored)) restored, \(report.count(.failed)) failed, \(report.count(.skipped)) skipped "
                     + "in \(seconds)s (jobs \(report.jobs))"]
        for cluster in report.failedClusters {
            lines.append("FAILED cluster-\(cluster.cluster):")
            for diagnostic in cluster.stages.flatMap(\.diagnostics) + cluster.diagnostics where diagnostic.severity == .error {
                lines.append("  \(diagnostic)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
