import ArgumentParser
import Foundation
import Runner
import Stages

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a regen would do for each stage, and why. Writes nothing.")

    @OptionGroup var fleetOptions: FleetOptions
    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Print the plan as JSON.")
    var json = false

    func run() throws {
        let fleet = try fleetOptions.fleet()
        let ids = try selection.resolve(in: fleet)
        let cache = try fleetOptions.cache(for: fleet)
        let runner = RegenRunner(fleet: fleet, cache: cache, options: RegenOptions(jobs: 1, toolVersion: TalosBatchVersion.string))
        let report = runner.run(clusters: ids, dryRun: true)
        if json {
            print(report.json(dryRun: true), terminator: "")
            return
        }
        for cluster in report.clusters {
            for stage in cluster.stages {
                print("\(FleetLayout.clusterName(cluster.cluster)) \(stage.stage): \(PlanWording.describe(stage))")
            }
        }
        let willRun = report.count(.ran), willRestore = report.count(.restored)
        print("plan: \(willRun) stage(s) to run, \(willRestore) to restore, \(report.count(.fresh)) fresh")
        DiagnosticPrinter.print(report.diagnostics)
    }
}

/// How a dry-run outcome reads in `plan` and `explain`.
enum PlanWording {
    static func describe(_ stage: StageOutcome) -> String {
        switch stage.status {
        case .fresh: return "fresh"
        case .restored: return "restore " + stage.toRestorePaths.joined(separator: ", ")
        case .ran:
            if stage.changedInputs == ["(upstream output not computed yet)"] {
                return "run if its upstream output changes"
            }
            return "run because " + stage.changedInputs.joined(separator: ", ")
        case .failed:
            return "fails: " + (stage.diagnostics.first.map { "\($0)" } ?? "error")
        case .skipped: return "skipped (an upstream stage fails)"
        }
    }
}
