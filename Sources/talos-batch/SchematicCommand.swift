import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import SystemKit
import Talos
import YAML

struct SchematicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schematic",
        abstract: "Image Factory schematics.",
        discussion: helpExamples("talos-batch schematic id schematic.yaml", "cat schematic.yaml | talos-batch schematic id -"),
        subcommands: [SchematicIDCommand.self])
}

struct SchematicIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "id",
        abstract: "Print the Image Factory schematic ID of a schematic YAML file (- for stdin).",
        discussion: helpExamples("talos-batch schematic id talos/clusters/cluster-101/schematic.yaml", "talos-batch render 101 --schematic | talos-batch schematic id -"))

    @Argument(help: "The schematic file.")
    var file: String

    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        let bytes: [UInt8]
        if file == "-" {
            bytes = [UInt8](StandardStream.standardInput.readDataToEndOfFile())
        } else {
            guard let data = try readInputFile(file) else {
                throw ValidationError("cannot read \(file)")
            }
            bytes = [UInt8](data)
        }
        do {
            let node = try YAML.parseDocument(bytes, file: file == "-" ? "<stdin>" : file)
            print(try SchematicID.compute(node))
        } catch let diagnostic as Diagnostic {
            DiagnosticPrinter.print([diagnostic], style: TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO))
            throw ExitCode(1)
        }
    }
}
