import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import Runner
import Stages
import SystemKit
import Talos

/// `talos-batch gencommand KIND`: talhelper's `gencommand` over the selected clusters, from the configs regen
/// wrote; `--changed` keeps only nodes whose config differs from what `mark-applied` recorded.
struct GencommandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gencommand",
        abstract: "Print the talosctl commands for the selected clusters' nodes, as `talhelper gencommand` does.",
        discussion: """
            Lines are talhelper's, per cluster, with paths to the cluster's output folder (the cluster folder, or `outputFolder` of talos-batch.yaml). \
            `apply --changed` lists only nodes whose config changed since `talos-batch mark-applied`.
            """ + "\n\n" + helpExamples("talos-batch gencommand apply 101", "talos-batch gencommand apply --all --changed | sh", "talos-batch gencommand upgrade 101 -n 10.0.0.10"))

    @Argument(help: ArgumentHelp("apply, upgrade, upgrade-k8s, bootstrap, kubeconfig, reset or health.", valueName: "command"),
              transform: { text in
                  guard let kind = GenCommandKind(rawValue: text) else {
                      throw ValidationError("unknown command '\(text)'; expected one of "
                                            + GenCommandKind.allCases.map(\.rawValue).joined(separator: ", "))
                  }
                  return kind
              })
    var kind: GenCommandKind

    @OptionGroup var fleetOptions: FleetOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var colorOptions: ColorOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Only this node: an IP address or a hostname (talhelper's -n).", valueName: "node"))
    var node: String?

    @Option(name: .customLong("extra-flags"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Flags added to every command, comma-separated, as given (repeatable).", valueName: "flags"))
    var extraFlags: [String] = []

    @Flag(help: "apply only: just the nodes whose config on disk differs from the one last marked applied (or never marked).")
    var changed = false

    @Option(help: "shell (talhelper's lines; pipe them to sh) or json.")
    var format: GencommandFormat = .shell

    func validate() throws {
        if changed && kind != .apply { throw ValidationError("--changed applies to `gencommand apply` only") }
    }

    func run() throws {
        let fleet = try fleetOptions.fleet()
        let ids = try selection.resolve(in: fleet)
        // cobra's StringSlice: each value is a comma-separated list.
        let flags = extraFlags.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var sections: [(cluster: ClusterContext, commands: [TalosctlCommand], digests: [String: String])] = []
        var diagnostics: [Diagnostic] = []
        for id in ids {
            let cluster = fleet.context(id)
            do {
                let config = try RenderedTalconfig.load(cluster)
                var commands: [TalosctlCommand]
                do {
                    commands = try TalhelperGenCommand.commands(kind, config: config, outDir: RenderedTalconfig.outputFolder(cluster),
                                                                node: node, extraFlags: flags)
                } catch let error as GenCommandError {
                    // Across a fleet a selected node lives in some clusters only.
                    if error.notFound && node != nil { continue }
                    throw Diagnostic.error("\(cluster.displayPath(of: RenderStage.talconfigOutput)): \(error.message)")
                }
                var digests: [String: String] = [:]
                if kind == .apply {
                    for file in Set(commands.compactMap(\.configFile)) where changed || FileManager.default.fileExists(
                        atPath: cluster.folderPath + "/" + cluster.fleet.outputFolder.file(file)) {
                        digests[file] = try AppliedStateFile.configDigest(cluster, file: file)
                    }
                }
                if changed {
                    let state = try AppliedStateFile.load(cluster)
                    commands = commands.filter { command in
                        guard let file = command.configFile, let digest = digests[file] else { return true }
                        return !state.isApplied(hostname: command.hostname, sha256: digest)
                    }
                }
                sections.append((cluster, commands, digests))
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            }
        }
        if let node, diagnostics.isEmpty, sections.isEmpty {
            diagnostics.append(Diagnostic.error("node with IP or hostname \(node) not found in the selected clusters"))
        }
        // Nothing is printed unless every cluster succeeded: half a list piped to a shell is worse than none.
        guard diagnostics.isEmpty else {
            DiagnosticPrinter.print(diagnostics, style: TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO))
            throw ExitCode(1)
        }
        switch format {
        case .shell:
            var text = ""
            for section in sections where !section.commands.isEmpty {
                text += "# \(section.cluster.name)\n"
                for command in section.commands { text += command.shellLine + "\n" }
            }
            StandardStream.standardOutput.write(Data(text.utf8))
        case .json:
            let entries = sections.flatMap { section in
                section.commands.map { command in
                    GencommandEntry(cluster: section.cluster.id, node: command.hostname, address: command.address,
                                    command: command.verb, argv: command.argv, line: command.line,
                                    config: command.configFile.map { RenderedTalconfig.outputFolder(section.cluster) + "/" + $0 },
                                    sha256: command.configFile.flatMap { section.digests[$0] })
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            StandardStream.standardOutput.write(try encoder.encode(GencommandDocument(commands: entries)) + Data("\n".utf8))
        }
        if changed && sections.allSatisfy(\.commands.isEmpty) {
            StandardStream.standardError.write(Data("gencommand: no node changed since it was last marked applied\n".utf8))
        }
    }
}

enum GencommandFormat: String, ExpressibleByArgument, CaseIterable {
    case shell, json
}
