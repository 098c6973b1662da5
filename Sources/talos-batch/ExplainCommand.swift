import ArgumentParser
import Cache
import FoundationEssentials
import Glibc
import Runner
import Stages
import SystemKit

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "For each stage of a cluster: fresh, to restore, or to run, and which inputs changed since the last recorded run.",
        discussion: helpExamples("talos-batch explain 101", "talos-batch explain --all"))

    @OptionGroup var fleetOptions: FleetOptions

    @OptionGroup var selection: SelectionOptions

    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        let fleet = try fleetOptions.fleet()
        let ids = try selection.resolve(in: fleet)
        let cache = try fleetOptions.cache(for: fleet)
        let runner = RegenRunner(fleet: fleet, cache: cache, options: RegenOptions(jobs: 1, toolVersion: TalosBatchVersion.string))
        let report = runner.run(clusters: ids, dryRun: true)
        for cluster in report.clusters {
            // One cluster reads as before; several are told apart by a heading each.
            if report.clusters.count > 1 { print("\(FleetLayout.clusterName(cluster.cluster)):") }
            try explain(cluster, cache: cache)
        }
        DiagnosticPrinter.print(report.diagnostics, style: TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO))
    }

    private func explain(_ cluster: ClusterOutcome, cache: CacheDirectory) throws {
        let id = cluster.cluster
        for stage in cluster.stages {
            print("\(stage.stage): \(PlanWording.describe(stage, style: TerminalStyle(colorOptions.color, descriptor: STDOUT_FILENO)))")
            if let key = stage.key { print("  key \(key.hex)") }
            let previous = try cache.actions.lastRecord(stage: stage.stage, cluster: FleetLayout.clusterName(id))
            if let previous {
                let when = Date.ISO8601FormatStyle(timeZone: .gmt).format(previous.created)
                print("  last run \(when) (key \(previous.key.hex.prefix(16))…, \(String(cFormat: "%.1f", previous.duration * 1000))ms)")
            } else {
                print("  never ran for this cluster with this cache")
            }
            let before = Dictionary(previous?.inputs.map { ($0.name, $0.digest) } ?? [], uniquingKeysWith: { first, _ in first })
            for input in stage.inputs {
                let now = input.digest.hex.prefix(16)
                switch before[input.name] {
                case nil where previous != nil: print("    input \(input.name) \(now)… (new)")
                case nil: print("    input \(input.name) \(now)…")
                case let old? where old == input.digest: print("    input \(input.name) \(now)… (unchanged)")
                case let old?: print("    input \(input.name) \(old.hex.prefix(16))… → \(now)… (changed)")
                }
            }
        }
    }
}
