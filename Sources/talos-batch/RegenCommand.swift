import ArgumentParser
import Cache
import FoundationEssentials
import Glibc
import Runner
import Stages
import SystemKit

struct RegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regen",
        abstract: "Regenerate clusters (validate → render → genconfig → admin certificate → talosconfig), redoing only what changed.",
        discussion: helpExamples("talos-batch regen --all", "talos-batch regen 101 102 --verbose", "talos-batch regen --all --shard 1/3 --summary-markdown \"$GITHUB_STEP_SUMMARY\""))

    @OptionGroup var fleetOptions: FleetOptions
    @OptionGroup var selection: SelectionOptions

    // No default value here: ArgumentParser would print it after the help's own "(default: …)".
    @Option(name: [.short, .long], help: "Stages to run at once (default: `jobs` in talos-batch.yaml, else the number of cores).")
    var jobs: Int?

    @Flag(help: "Run every stage even when its cached result is current.")
    var force = false

    @Flag(help: "Sync outputs to disk before renaming them into place, so a power cut cannot leave one empty (also TALOS_BATCH_FSYNC=1). Slower; without it a file a power cut damaged is rewritten by the next regen.")
    var fsync = false

    @Flag(help: "After a failure: keep going with the other clusters, or stop starting stages.")
    var onFailure: FailureMode = .keepGoing

    @Flag(help: "Print a JSON report (per cluster and stage: status, key, duration, changed inputs) on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Write a Chrome trace-event file (chrome://tracing, Perfetto) with one span per stage.", valueName: "file"))
    var trace: String?

    @Option(help: ArgumentHelp("Append a Markdown summary (counts, regenerated clusters, failures) to a file, e.g. $GITHUB_STEP_SUMMARY.", valueName: "file"))
    var summaryMarkdown: String?

    @Option(help: "Progress output: auto (a live line on a terminal), line (plain lines only), none (the summary only).")
    var progress: ProgressMode = .auto

    @Flag(name: [.short, .long], help: "One line per stage (status, duration, changed inputs) instead of one per changed or failed cluster.")
    var verbose = false

    @Option(help: "Colour statuses and errors: auto (on a terminal, unless NO_COLOR is set), always, never.")
    var color: ColorMode = .auto

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let fleet = try fleetOptions.fleet()
        let ids = try selection.resolve(in: fleet)
        let cacheFolder = fleetOptions.cacheFolder(for: fleet)
        var options = RegenOptions(jobs: jobs ?? fleet.settings.jobs ?? ProcessInfo.processInfo.activeProcessorCount, force: force, failFast: onFailure == .failFast,
                                   toolVersion: TalosBatchVersion.string)
        options.reportsStageDetails = json
        // A tuning knob (and what the kill -9 battery sets, so its small fleet commits records mid-run).
        if let chunk = Int(ProcessInfo.processInfo.environment["TALOS_BATCH_RECORD_CHUNK"] ?? ""), chunk > 0 {
            options.recordChunk = chunk
        }
        options.syncsOutputs = fsync || Self.isSet(ProcessInfo.processInfo.environment["TALOS_BATCH_FSYNC"])
        let signals = SignalCancellation()
        options.cancellation = signals.cancellation
        // The database is opened only when some cluster's stamp does not hold (a no-op never opens it).
        let runner = RegenRunner(fleet: fleet, cacheFolder: cacheFolder, options: options) {
            try CacheDirectory(url: cacheFolder, warn: CacheWarning.standardError)
        }
        let printer = RegenProgressPrinter(mode: progress, verbose: verbose, toStandardError: json, color: color)
        // Without progress output there is nothing to observe (and no per-cluster outcome to build for it).
        if progress != .none { runner.observer = printer }
        // An error in a rendered talconfig also names the template line (and talenv.yaml value) behind it.
        let report = RenderedErrorTrace.annotate(runner.run(clusters: ids), fleet: fleet)
        printer.finish()

        do {
            if let trace {
                try Data(report.traceJSON().utf8).write(to: URL(fileURLWithPath: trace), options: .atomic)
            }
            if let summaryMarkdown {
                let changed = try DiffStatRollUp.markdown(report, fleet: fleet) {
                    try CacheDirectory(url: cacheFolder, warn: CacheWarning.standardError)
                }
                try RegenMarkdownSummary.append(RegenMarkdownSummary.text(report, shard: selection.shard) + changed, to: summaryMarkdown)
            }
        } catch {
            throw CLIError(ErrorMessage.text(error))
        }
        if json {
            DiagnosticPrinter.print(report.diagnostics)
            StandardStream.standardOutput.write(Data(report.json().utf8))
        } else {
            // Each error once: in the failure summary (stderr, as compilers print errors); warnings on their own.
            let errorStyle = TerminalStyle(color, descriptor: STDERR_FILENO)
            DiagnosticPrinter.print(report.diagnostics.filter { $0.severity == .warning }, style: errorStyle)
            let failures = RegenSummary.failures(report, style: errorStyle)
            if !failures.isEmpty { StandardStream.standardError.write(Data((failures.joined(separator: "\n") + "\n").utf8)) }
            print(RegenSummary.line(report, style: TerminalStyle(color, descriptor: STDOUT_FILENO)))
        }
        if let interrupted = signals.exitCode { throw ExitCode(interrupted) }
        if !report.succeeded { throw ExitCode(1) }
    }
}

extension RegenCommand {
    /// An environment switch is on when set to anything but empty, 0, false, no or off.
    static func isSet(_ value: String?) -> Bool {
        guard let value else { return false }
        return !["", "0", "false", "no", "off"].contains(value.lowercased())
    }
}

enum FailureMode: String, EnumerableFlag {
    case keepGoing, failFast
}

enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, line, none
}

/// The closing lines of a regen: each failed cluster with its errors — the only place they are printed —
/// then one line of counts (clusters, then stages, never mixed).
enum RegenSummary {
    static func failures(_ report: RegenReport, style: TerminalStyle) -> [String] {
        var lines: [String] = []
        for cluster in report.clusters where ClusterVerdict(cluster) == .failed {
            lines.append("\(style.status("FAILED")) \(FleetLayout.clusterName(cluster.cluster)):")
            // Stages reading the same file fail with the same error (genconfig and talosconfig both parse
            // the rendered talconfig): each is printed once (with its notes).
            // A note belongs to the error before it, so it goes (or is left out) with that error.
            var printed: Set<String> = []
            var printing = true
            for diagnostic in cluster.stages.flatMap(\.diagnostics) + cluster.diagnostics where diagnostic.severity != .warning {
                let line = "  " + style.diagnostic(diagnostic)
                if diagnostic.severity == .error { printing = printed.insert(line).inserted }
                if printing { lines.append(line) }
            }
        }
        return lines
    }

    static func line(_ report: RegenReport, style: TerminalStyle) -> String {
        var verdicts: [ClusterVerdict: Int] = [:]
        var stages = StageCounts([])
        for cluster in report.clusters {
            verdicts[ClusterVerdict(cluster), default: 0] += 1
            for stage in cluster.stages { stages.add(stage) }
        }
        let failed = verdicts[.failed] ?? 0
        var clusterParts = ["\(verdicts[.changed] ?? 0) changed", "\(verdicts[.fresh] ?? 0) fresh",
                            failed > 0 ? style.bold(style.red("\(failed) failed")) : "0 failed"]
        if let notRun = verdicts[.notRun], notRun > 0 { clusterParts.append("\(notRun) not run") }
        var stageParts = ["\(stages.ran) ran", "\(stages.fresh) fresh"]
        // Zero counts of the rarer outcomes say nothing (a first run restored nothing).
        if stages.restored > 0 { stageParts.append("\(stages.restored) restored") }
        if stages.shared > 0 { stageParts.append("\(stages.shared) shared in-run") }
        if stages.failed > 0 { stageParts.append("\(stages.failed) failed") }
        if stages.skipped > 0 { stageParts.append("\(stages.skipped) skipped") }
        let seconds = String(cFormat: "%.2f", report.elapsed)
        return "regen: \(counted(report.clusters.count, "cluster")): " + clusterParts.joined(separator: ", ")
            + " · stages: " + stageParts.joined(separator: ", ") + " · \(seconds)s, jobs \(report.jobs)"
    }
}
