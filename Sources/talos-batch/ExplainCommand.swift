import ArgumentParser
import Cache
import Foundation
import Runner
import Stages

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "For each stage of a cluster: fresh, to restore, or to run, and which inputs changed since the last recorded run.")

    @OptionGroup var fleetOptions: FleetOptions

    @Argument(help: "The cluster (101 or cluster-101).")
    var cluster: String

    func run() throws {
        let fleet = try fleetOptions.fleet()
        guard let id = fleet.resolve(cluster) else { throw ValidationError("no cluster '\(cluster)'") }
        let cache = try fleetOptions.cache(for: fleet)
        let runner = RegenRunner(fleet: fleet, cache: cache, options: RegenOptions(jobs: 1, toolVersion: TalosBatchVersion.string))
        let report = runner.run(clusters: [id], dryRun: true)
        for stage in report.clusters.first?.stages ?? [] {
            print("\(stage.stage): \(PlanWording.describe(stage))")
            if let key = stage.key { print("  key \(key.hex)") }
            let previous = try cache.actions.lastRecord(stage: stage.stage, cluster: FleetLayout.clusterName(id))
            if let previous {
                let when = ISO8601DateFormatter().string(from: previous.created)
                print("  last run \(when) (key \(previous.key.hex.prefix(16))…, \(String(format: "%.1f", previous.duration * 1000))ms)")
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
        DiagnosticPrinter.print(report.diagnostics)
    }
}
