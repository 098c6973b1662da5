import ArgumentParser
import Diagnostics
import Foundation
import Jinja
import Runner
import Stages
import YAML

/// `talos-batch render`: renders a Jinja2 template with the native engine, as a jinja2-cli replacement.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a Jinja2 template (byte-identical to Python Jinja2 3.1) with values from YAML or JSON.",
        discussion: "With a cluster id instead of --template (`talos-batch render 101`), prints that cluster's rendered talconfig (or, with --schematic, its schematic) from the fleet's templates and its talenv.yaml, without the cache and without writing anything." + "\n\n" + helpExamples("talos-batch render 101", "talos-batch render 101 --schematic", "talos-batch render --template talconfig.j2 --values talenv.yaml -o talconfig.yaml"))

    @Argument(help: "A cluster of the fleet (101 or cluster-101) to render instead of --template.")
    var cluster: String?

    @Flag(name: .long, help: "With a cluster: print its rendered schematic.yaml instead of the talconfig.")
    var schematic = false

    @OptionGroup var fleetOptions: FleetOptions

    @Option(name: .long, help: "The template file (include/import/extends resolve inside its directory).")
    var template: String?

    @Option(name: .long, help: "Values as YAML or JSON (.json is read as JSON); a mapping at the top.")
    var values: String?

    @Flag(name: .long, help: "Remove the first newline after a block tag (Jinja2 trim_blocks).")
    var trimBlocks = false

    @Flag(name: .long, help: "Strip spaces and tabs before a block tag at the start of a line (Jinja2 lstrip_blocks).")
    var lstripBlocks = false

    @Flag(name: .long, inversion: .prefixedNo, help: "Keep the template's final newline (Jinja2 keep_trailing_newline; on by default, as in jinja2-cli).")
    var keepTrailingNewline = true

    @Flag(exclusivity: .exclusive, help: "Undefined variables: --strict (default) fails naming the variable; --lenient prints them as empty, like Jinja2's default.")
    var undefinedMode: UndefinedFlag = .strict

    @Option(name: .long, help: "Six space-separated delimiters: block start/end, variable start/end, comment start/end (e.g. \"#% %# #{ }# #| |#\").")
    var delimiters: String?

    @Option(name: .shortAndLong, help: "Write the output here (atomically) instead of standard output.")
    var output: String?

    enum UndefinedFlag: String, EnumerableFlag {
        case strict, lenient
    }

    func validate() throws {
        if template == nil && cluster == nil { throw ValidationError("give a cluster id or --template") }
        if template != nil && cluster != nil { throw ValidationError("give a cluster id or --template, not both") }
        if let delimiters, delimiters.split(separator: " ", omittingEmptySubsequences: true).count != 6 {
            throw ValidationError("--delimiters takes six space-separated strings: block start/end, variable start/end, comment start/end")
        }
    }

    func run() throws {
        do {
            let text = try cluster.map(renderCluster) ?? renderStandalone()
            if let output {
                try RenderCommand.writeAtomically(Data(text.utf8), to: output)
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        } catch let error as TemplateError {
            FileHandle.standardError.write(Data((error.diagnostic.description + "\n").utf8))
            throw ExitCode(1)
        } catch let error as Diagnostic {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// The cluster path: validate and render one cluster of the fleet in memory.
    func renderCluster(_ argument: String) throws -> String {
        let fleet = try fleetOptions.fleet()
        guard let id = fleet.resolve(argument) else { throw ValidationError("no cluster '\(argument)'") }
        do {
            let rendered = try ClusterPreview.render(fleet.context(id))
            return schematic ? rendered.schematic : rendered.talconfig
        } catch let list as DiagnosticList {
            for diagnostic in list.diagnostics.dropLast() {
                FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
            }
            throw list.diagnostics.last ?? Diagnostic.error("render failed")
        }
    }

    /// The standalone path: one template file and one values file, no project.
    func renderStandalone() throws -> String {
        guard let template else { throw ValidationError("--template is required") }
        var options = RenderOptions()
        options.syntax.trimBlocks = trimBlocks
        options.syntax.lstripBlocks = lstripBlocks
        options.syntax.keepTrailingNewline = keepTrailingNewline
        options.undefined = undefinedMode == .lenient ? .lenient : .strict
        if let delimiters {
            let d = delimiters.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            options.syntax.blockStart = d[0]; options.syntax.blockEnd = d[1]
            options.syntax.variableStart = d[2]; options.syntax.variableEnd = d[3]
            options.syntax.commentStart = d[4]; options.syntax.commentEnd = d[5]
        }
        let context = try values.map(RenderCommand.loadValues) ?? [:]
        return try Environment.renderFile(at: URL(fileURLWithPath: template), context: context, options: options, name: template)
    }

    static func readText(_ path: String) throws -> String {
        guard let data = try readInputFile(path) else {
            throw Diagnostic.error("cannot read \(path)", at: nil)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic.error("\(path) is not valid UTF-8", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return text
    }

    /// Values from a YAML or JSON file; the top level must be a mapping (or empty).
    static func loadValues(_ path: String) throws -> [String: Value] {
        let text = try readText(path)
        let value: Value
        if path.hasSuffix(".json") {
            value = try JSONReader.parse(text, file: path)
        } else {
            value = try Value.pyyamlDocument(text, file: path)
        }
        if case .none = value { return [:] }
        guard let context = Value.context(from: value) else {
            throw Diagnostic.error("the values must be a mapping at the top level", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return context
    }

    /// Written by the one atomic writer (`AtomicFile`), 0644.
    static func writeAtomically(_ data: Data, to path: String) throws {
        do {
            try AtomicFile.write([UInt8](data), to: URL(fileURLWithPath: path).path, mode: 0o644)
        } catch {
            throw Diagnostic.error("cannot write \(path): \(ErrorMessage.text(error))", at: nil)
        }
    }
}
