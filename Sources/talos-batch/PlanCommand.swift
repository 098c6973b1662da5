import ArgumentParser
import FoundationEssentials
import Glibc
import Runner
import Stages

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a regen would do for each stage, and why. Writes nothing.",
        discussion: helpExamples("talos-batch plan --all", "talos-batch plan 101 --json"))

    @OptionGroup var fleetOptions: FleetOptions
    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @OptionGroup var colorOptions: ColorOptions

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
        let style = TerminalStyle(colorOptions.color, descriptor: STDOUT_FILENO)
        for cluster in report.clusters {
            for stage in cluster.stages {
                print("\(FleetLayout.clusterName(cluster.cluster)) \(stage.stage): \(PlanWording.describe(stage, style: style))")
            }
        }
        DiagnosticPrinter.print(report.diagnostics, style: TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO))
        print(PlanWording.rollUp(report))
    }
}

/// How a dry-run outcome reads in `plan` and `explain`.
enum PlanWording {
    /// The closing line: clusters first ("2 of 3 clusters to run, 1 fresh"), then stages, never mixed.
    static func rollUp(_ report: RegenReport) -> String {
        var verdicts: [ClusterVerdict: Int] = [:]
        for cluster in report.clusters { verdicts[ClusterVerdict(cluster), default: 0] += 1 }
        var clusters = ["\(verdicts[.changed] ?? 0) of \(counted(report.clusters.count, "cluster")) to run",
                        "\(verdicts[.fresh] ?? 0) fresh"]
        if let failing = verdicts[.failed], failing > 0 { clusters.append("\(failing) failing") }
        let stages = StageCounts(report.clusters.lazy.flatMap(\.stages))
        var stageParts = ["\(stages.ran) to run"]
        if stages.restored + stages.shared > 0 { stageParts.append("\(stages.restored + stages.shared) to restore") }
        stageParts.append("\(stages.fresh) fresh")
        if stages.failed > 0 { stageParts.append("\(stages.failed) failing") }
        if stages.skipped > 0 { stageParts.append("\(stages.skipped) skipped") }
        return "plan: " + clusters.joined(separator: ", ") + " · stages: " + stageParts.joined(separator: ", ")
    }

    /// The stage's verdict; on a terminal its first word in the status's colour.
    static func describe(_ stage: StageOutcome, style: TerminalStyle = TerminalStyle(colored: false)) -> String {
        switch stage.status {
        case .fresh: return style.status("fresh")
        case .restored: return style.cyan("restore") + " " + stage.toRestorePaths.joined(separator: ", ")
        case .ran:
            if stage.changedInputs == ["(upstream output not computed yet)"] {
                return style.green("run") + " if its upstream output changes"
            }
            return style.green("run") + " because " + stage.changedInputs.joined(separator: ", ")
        case .failed:
            return style.bold(style.red("fails:")) + " " + (stage.diagnostics.first.map { "\($0)" } ?? "error")
        case .skipped: return style.status("skipped") + " (an upstream stage fails)"
        }
    }
}
