import ArgumentParser
import Runner
import Stages

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the stage graph of the selected clusters (Graphviz dot or JSON).",
        discussion: helpExamples("talos-batch graph 101 | dot -Tsvg > graph.svg", "talos-batch graph --all --format json"))

    @OptionGroup var fleetOptions: FleetOptions
    @OptionGroup var selection: SelectionOptions

    @Option(help: "dot or json.")
    var format: GraphFormat = .dot

    func run() throws {
        let fleet = try fleetOptions.fleet()
        let export = GraphExport(fleet: fleet, stages: Pipeline.stages, clusters: try selection.resolve(in: fleet))
        print(format == .dot ? export.dot() : export.json(), terminator: "")
    }
}

enum GraphFormat: String, ExpressibleByArgument, CaseIterable {
    case dot, json
}
