import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import Runner
import Stages
import Talos

/// `talos-batch mark-applied`: records, per node, the SHA-256 of the config that was just applied, so the
/// next `gencommand apply --changed` lists exactly the nodes whose config differs from it.
struct MarkAppliedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mark-applied",
        abstract: "Record the selected nodes' current configs as applied (for `gencommand apply --changed`).",
        discussion: """
            Writes <cluster>/\(AppliedState.fileName) (0600, replaced atomically): per node, the SHA-256 of its \
            config file. With --plan, records the digests of a `gencommand apply --changed --format json` \
            output instead, after checking that every listed file still has them (nothing is recorded if one \
            does not).
            """ + "\n\n" + helpExamples("talos-batch mark-applied 101", "talos-batch mark-applied 101 -n 10.0.0.10"))

    @OptionGroup var fleetOptions: FleetOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var colorOptions: ColorOptions

    @Option(name: [.short, .long], help: ArgumentHelp("Only this node: an IP address or a hostname.", valueName: "node"))
    var node: String?

    @Option(help: ArgumentHelp("A `gencommand apply --format json` output: record exactly the nodes and digests it lists.", valueName: "file"))
    var plan: String?

    func run() throws {
        let fleet = try fleetOptions.fleet()
        let ids = try selection.resolve(in: fleet)
        let planned = try plan.map(Self.readPlan)
        var updates: [(ClusterContext, AppliedState, Int)] = []
        var diagnostics: [Diagnostic] = []
        for id in ids {
            let cluster = fleet.context(id)
            do {
                let config = try RenderedTalconfig.load(cluster)
                var state = try AppliedStateFile.load(cluster)
                state.keepOnly(hostnames: Set(config.nodes.map(\.hostname)))
                var marked = 0
                let selected = config.nodes.filter { entry in
                    node.map { $0 == entry.hostname || entry.ipAddresses.contains($0) } ?? true
                }
                for entry in selected {
                    let file = TalhelperGenerator.outputFileName(entry, in: config)
                    let digest = try AppliedStateFile.configDigest(cluster, file: file)
                    if let planned {
                        guard let expected = planned[id]?[entry.hostname] else { continue }
                        guard expected == digest else {
                            throw Diagnostic.error("\(cluster.displayPath(of: cluster.fleet.outputFolder.file(file))) changed after the plan "
                                                   + "was made; it may not be what was applied — generate the commands again")
                        }
                    }
                    state.record(hostname: entry.hostname, file: cluster.fleet.outputFolder.file(file), sha256: digest)
                    marked += 1
                }
                updates.append((cluster, state, marked))
            } catch let diagnostic as Diagnostic {
                diagnostics.append(diagnostic)
            }
        }
        if let node, diagnostics.isEmpty, updates.allSatisfy({ $0.2 == 0 }), planned == nil {
            diagnostics.append(Diagnostic.error("node with IP or hostname \(node) not found in the selected clusters"))
        }
        // All or nothing: a partly recorded fleet would hide which nodes still need applying.
        guard diagnostics.isEmpty else {
            DiagnosticPrinter.print(diagnostics, style: TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO))
            throw ExitCode(1)
        }
        var total = 0
        for (cluster, state, marked) in updates {
            try AppliedStateFile.save(state, for: cluster)
            total += marked
        }
        print("mark-applied: \(total) node(s) in \(updates.count) cluster(s) recorded as applied")
    }

    /// cluster id → hostname → digest, from the apply lines of a `gencommand --format json` document.
    static func readPlan(_ path: String) throws -> [String: [String: String]] {
        let data: Data
        do {
            guard let bytes = try readInputFile(path) else { throw FileSystemError(path: path, code: ENOENT) }
            data = bytes
        } catch {
            throw ValidationError("cannot read the plan \(ErrorMessage.text(error))")
        }
        let document: GencommandDocument
        do {
            document = try JSONDecoder().decode(GencommandDocument.self, from: data)
        } catch {
            throw ValidationError("\(path):1:1: error: not a `talos-batch gencommand --format json` output")
        }
        var result: [String: [String: String]] = [:]
        for entry in document.commands where entry.command == GenCommandKind.apply.verb {
            guard let digest = entry.sha256 else {
                throw ValidationError("\(path): the apply line for \(entry.node) of cluster-\(entry.cluster) has no sha256 "
                                      + "(its config did not exist when the plan was made)")
            }
            result[entry.cluster, default: [:]][entry.node] = digest
        }
        return result
    }
}
