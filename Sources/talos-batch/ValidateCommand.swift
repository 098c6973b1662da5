import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import Runner
import Stages

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check talenv.yaml files and report every problem with file:line:col.",
        discussion: helpExamples("talos-batch validate --all", "talos-batch validate 101 --file other/talenv.yaml", "talos-batch validate --talconfig talconfig.yaml"))

    @OptionGroup var fleetOptions: FleetOptions
    @OptionGroup var colorOptions: ColorOptions

    @Argument(help: "Clusters to check (101 or cluster-101).", completion: ClusterCompletion.kind)
    var clusters: [String] = []

    @Flag(name: .long, help: "Every cluster under talos/clusters.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("A talenv.yaml file to check (repeatable).", valueName: "file"))
    var file: [String] = []

    @Option(help: ArgumentHelp("A talconfig.yaml to check with talhelper's rules (talhelper validate talconfig).", valueName: "file"))
    var talconfig: String?
    @Option(help: ArgumentHelp("A machine config to check (talhelper validate nodeconfig, talosctl validate).", valueName: "file"))
    var nodeconfig: String?
    @Option(help: "The runtime mode for --nodeconfig: metal, cloud or container.") var mode = "metal"
    @Option(parsing: .singleValue, help: "Env files for --talconfig (repeatable).")
    var envFile: [String] = ["talenv.yaml", "talenv.sops.yaml", "talenv.yml", "talenv.sops.yml"]

    func validate() throws {
        if clusters.isEmpty && !all && file.isEmpty && talconfig == nil && nodeconfig == nil {
            throw ValidationError("name a cluster or pass --all, --file, --talconfig or --nodeconfig")
        }
        if all && !clusters.isEmpty { throw ValidationError("give cluster ids or --all, not both") }
    }

    func run() throws {
        if talconfig != nil || nodeconfig != nil {
            return try TalhelperValidation.run(talconfig: talconfig, nodeconfig: nodeconfig, mode: mode, envFiles: envFile, color: colorOptions.color)
        }
        var paths = file
        if all {
            let fleet = try fleetOptions.fleet()
            paths += fleet.clusterIDs.map { fleet.context($0).talenv.path }
        } else if !clusters.isEmpty {
            let fleet = try fleetOptions.fleet()
            for argument in clusters {
                guard let id = fleet.resolve(argument) else { throw ValidationError("no cluster '\(argument)'") }
                paths.append(fleet.context(id).talenv.path)
            }
        }
        let errorStyle = TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO)
        let outputStyle = TerminalStyle(colorOptions.color, descriptor: STDOUT_FILENO)
        var failed = false
        for path in paths {
            let shown = FleetLayout.displayPath(URL(fileURLWithPath: path).standardizedFileURL.path)
            guard let data = try readInputFile(path) else {
                DiagnosticPrinter.print([.error("cannot read \(shown)")], style: errorStyle)
                failed = true
                continue
            }
            do {
                _ = try ValidateStage.validate([UInt8](data), file: shown)
                print("\(shown): \(outputStyle.status("ok"))")
            } catch let list as DiagnosticList {
                DiagnosticPrinter.print(list.diagnostics, style: errorStyle)
                failed = true
            } catch let diagnostic as Diagnostic {
                DiagnosticPrinter.print([diagnostic], style: errorStyle)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
