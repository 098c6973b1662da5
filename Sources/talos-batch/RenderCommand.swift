import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import Jinja
import Runner
import Stages
import SystemKit
import YAML

/// `talos-batch render`: renders a Jinja2 template with the native engine. Takes jinja2-cli's command line
/// (`render TEMPLATE [DATA...]`, `--format`, `-D`, `--strict`, `-o`, stdin) so it replaces `jinja2` in scripts
/// unchanged, the long form (`--template`/`--values`), or a fleet cluster id.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a Jinja2 template (byte-identical to Python Jinja2 3.1; jinja2-cli's command line) or a fleet cluster's talconfig.",
        discussion: """
        `render TEMPLATE [DATA...]` works as the jinja2 CLI (jinja2-cli 1.0): DATA is YAML, JSON, env, INI or TOML \
        (from its extension, or --format), `-` or no DATA reads standard input, -D key=value overrides the data, \
        undefined variables print as empty unless --strict. The long form `--template T --values V` is strict by \
        default. With a cluster id (`render 101`) it prints that cluster's rendered talconfig (or, with \
        --schematic, its schematic) from the fleet's templates and talenv.yaml, without the cache and without \
        writing anything.

        """ + helpExamples("talos-batch render 101",
                           "talos-batch render talconfig.j2 talenv.yaml --strict -o talconfig.yaml",
                           "cat values.json | talos-batch render greeting.j2 - --format json -D env=prod"))

    @Argument(help: ArgumentHelp("TEMPLATE [DATA...] as in jinja2-cli, or one cluster id (101 or cluster-101).", valueName: "template-or-cluster"),
              completion: ClusterCompletion.kind)
    var arguments: [String] = []

    @Flag(name: .long, help: "With a cluster: print its rendered schematic.yaml instead of the talconfig.")
    var schematic = false

    @OptionGroup var fleetOptions: FleetOptions

    @Option(name: .long, help: "The template file (include/import/extends resolve inside its directory); the long form of TEMPLATE.")
    var template: String?

    @Option(name: .long, help: "Values as YAML or JSON (.json is read as JSON); the long form of DATA.")
    var values: String?

    @Option(name: [.customShort("f"), .long], help: "The data format: auto (from the extension; YAML on standard input), yaml, json, env, ini, toml.")
    var format = "auto"

    @Option(name: .customShort("D"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Set a variable (repeatable; dots nest: -D a.b=c); overrides the data.", valueName: "key=value"))
    var defines: [String] = []

    @Option(name: [.customShort("s"), .long], help: "Use only this top-level section of the data.")
    var section: String?

    @Flag(name: [.customShort("S"), .long], help: "Read the template from standard input; every argument is a data file.")
    var stream = false

    @Flag(name: .long, help: "Remove the first newline after a block tag (Jinja2 trim_blocks).")
    var trimBlocks = false

    @Flag(name: .long, help: "Strip spaces and tabs before a block tag at the start of a line (Jinja2 lstrip_blocks).")
    var lstripBlocks = false

    @Flag(name: .long, inversion: .prefixedNo, help: "Keep the template's final newline (Jinja2 keep_trailing_newline; on by default, as in jinja2-cli).")
    var keepTrailingNewline = true

    @Flag(exclusivity: .exclusive, help: "Undefined variables: --strict fails naming the variable, --lenient prints them as empty. Default: lenient for TEMPLATE (as jinja2-cli), strict for --template and clusters.")
    var undefinedMode: UndefinedFlag?

    @Option(name: .long, help: "Six space-separated delimiters: block start/end, variable start/end, comment start/end (e.g. \"#% %# #{ }# #| |#\").")
    var delimiters: String?

    @Option(name: .long, help: "The variable start string (jinja2-cli).") var variableStart: String?
    @Option(name: .long, help: "The variable end string (jinja2-cli).") var variableEnd: String?
    @Option(name: .long, help: "The block start string (jinja2-cli).") var blockStart: String?
    @Option(name: .long, help: "The block end string (jinja2-cli).") var blockEnd: String?
    @Option(name: .long, help: "The comment start string (jinja2-cli).") var commentStart: String?
    @Option(name: .long, help: "The comment end string (jinja2-cli).") var commentEnd: String?

    @Option(name: [.customShort("o"), .customLong("outfile"), .customLong("output")], help: "Write the output to this file (atomically) instead of standard output.")
    var output: String?

    @OptionGroup var colorOptions: ColorOptions

    enum UndefinedFlag: String, EnumerableFlag {
        case strict, lenient
    }

    /// What the command line asks for.
    enum Request {
        case cluster(String)
        /// A template file (nil: standard input) and the data files.
        case template(path: String?, data: [String], jinja2CLI: Bool)
    }

    func validate() throws {
        if let delimiters, delimiters.split(separator: " ", omittingEmptySubsequences: true).count != 6 {
            throw ValidationError("--delimiters takes six space-separated strings: block start/end, variable start/end, comment start/end")
        }
        _ = try request()
    }

    /// Sorts the arguments into a cluster or a template render; every refusal names what was given.
    func request() throws -> Request {
        if let template {
            if stream { throw ValidationError("--template names the template file and --stream reads it from standard input: give one") }
            if !arguments.isEmpty {
                throw ValidationError("--template \(template) already names the template; '\(arguments[0])' is one too many (data goes in --values or, with a positional TEMPLATE, after it)")
            }
            if schematic { throw ValidationError("--schematic goes with a cluster id, not with --template") }
            return .template(path: template, data: values.map { [$0] } ?? [], jinja2CLI: false)
        }
        if stream {
            if schematic { throw ValidationError("--schematic goes with a cluster id, not with --stream") }
            return .template(path: nil, data: arguments + (values.map { [$0] } ?? []), jinja2CLI: true)
        }
        guard let first = arguments.first else {
            throw ValidationError("give a template file (render TEMPLATE [DATA...], as the jinja2 CLI), --template FILE, or a cluster id")
        }
        var isDirectory = false
        if FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory), !isDirectory {
            if schematic { throw ValidationError("--schematic goes with a cluster id, but \(first) is a template file") }
            if values != nil && arguments.count > 1 { throw ValidationError("give the data after the template or in --values, not both") }
            return .template(path: first, data: Array(arguments.dropFirst()) + (values.map { [$0] } ?? []), jinja2CLI: true)
        }
        if first.contains("/") || first.contains(".") {
            throw ValidationError("no such template file: \(first)")
        }
        let templateOnly = templateOnlyOptions
        if !templateOnly.isEmpty {
            throw ValidationError("no template file '\(first)' (\(templateOnly.joined(separator: ", ")) \(templateOnly.count == 1 ? "applies" : "apply") to a template file, not to a cluster, which renders with its talenv.yaml)")
        }
        if arguments.count > 1 {
            throw ValidationError("no template file '\(first)'; a cluster id takes no data file ('\(arguments[1])')")
        }
        return .cluster(first)
    }

    /// The options given that only mean something for a template render.
    var templateOnlyOptions: [String] {
        var given: [String] = []
        if values != nil { given.append("--values") }
        if format != "auto" { given.append("--format") }
        if !defines.isEmpty { given.append("-D") }
        if section != nil { given.append("--section") }
        if trimBlocks { given.append("--trim-blocks") }
        if lstripBlocks { given.append("--lstrip-blocks") }
        if !keepTrailingNewline { given.append("--no-keep-trailing-newline") }
        if undefinedMode != nil { given.append("--\(undefinedMode!.rawValue)") }
        if delimiters != nil || variableStart != nil || variableEnd != nil || blockStart != nil || blockEnd != nil
            || commentStart != nil || commentEnd != nil { given.append("the delimiter options") }
        return given
    }

    func run() throws {
        let style = TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO)
        do {
            let text: String
            switch try request() {
            case .cluster(let id): text = try renderCluster(id, style: style)
            case .template(let path, let data, let jinja2CLI): text = try renderTemplate(path, data: data, jinja2CLI: jinja2CLI)
            }
            if let output {
                try RenderCommand.writeAtomically(Data(text.utf8), to: output)
            } else {
                StandardStream.standardOutput.write(Data(text.utf8))
            }
        } catch let error as TemplateError {
            DiagnosticPrinter.print([error.diagnostic], style: style)
            throw ExitCode(1)
        } catch let error as Diagnostic {
            DiagnosticPrinter.print([error], style: style)
            throw ExitCode(1)
        } catch let error as CLIError {
            StandardStream.standardError.write(Data((style.errorLine(error.description) + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// The cluster path: validate and render one cluster of the fleet in memory.
    func renderCluster(_ argument: String, style: TerminalStyle) throws -> String {
        let fleet: Fleet
        do {
            fleet = try fleetOptions.fleet()
        } catch let error as ValidationError {
            throw ValidationError("no template file '\(argument)', and no fleet to find a cluster '\(argument)' in: \(error.message)")
        }
        guard let id = fleet.resolve(argument) else { throw ValidationError("no template file or cluster '\(argument)'") }
        do {
            let rendered = try ClusterPreview.render(fleet.context(id))
            return schematic ? rendered.schematic : rendered.talconfig
        } catch let list as DiagnosticList {
            DiagnosticPrinter.print(Array(list.diagnostics.dropLast()), style: style)
            throw list.diagnostics.last ?? Diagnostic.error("render failed")
        }
    }

    /// A template file (or standard input) with data gathered as jinja2-cli gathers it.
    func renderTemplate(_ path: String?, data files: [String], jinja2CLI: Bool) throws -> String {
        var options = RenderOptions()
        options.syntax.trimBlocks = trimBlocks
        options.syntax.lstripBlocks = lstripBlocks
        options.syntax.keepTrailingNewline = keepTrailingNewline
        options.extensions = [.do, .loopControls]  // jinja2-cli loads both by default
        let strict = undefinedMode.map { $0 == .strict } ?? !jinja2CLI
        options.undefined = strict ? .strict : .lenient
        if let delimiters {
            let d = delimiters.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            options.syntax.blockStart = d[0]; options.syntax.blockEnd = d[1]
            options.syntax.variableStart = d[2]; options.syntax.variableEnd = d[3]
            options.syntax.commentStart = d[4]; options.syntax.commentEnd = d[5]
        }
        if let blockStart { options.syntax.blockStart = blockStart }
        if let blockEnd { options.syntax.blockEnd = blockEnd }
        if let variableStart { options.syntax.variableStart = variableStart }
        if let variableEnd { options.syntax.variableEnd = variableEnd }
        if let commentStart { options.syntax.commentStart = commentStart }
        if let commentEnd { options.syntax.commentEnd = commentEnd }

        let data: DictStorage
        if !jinja2CLI, let values, files == [values] {
            // The long form reads --values by its extension: .json as JSON, anything else as YAML.
            data = try RenderData.load(files: [values], format: format == "auto" ? (values.hasSuffix(".json") ? "json" : "yaml") : format,
                                       section: section, defines: defines)
        } else if files.isEmpty && (!jinja2CLI || path == nil) {
            // The long form without --values has no data; --stream's standard input is the template.
            data = try RenderData.load(files: [], format: format, section: section, defines: defines, readStandardInput: { Data() })
        } else {
            if path == nil && files.contains("-") { throw CLIError("--stream reads the template from standard input, so the data cannot come from there too") }
            data = try RenderData.load(files: files, format: format, section: section, defines: defines)
        }
        let context = RenderData.context(data, strict: strict)
        guard let path else {
            let source = String(decoding: StandardStream.standardInput.readDataToEndOfFile(), as: UTF8.self)
            return try Environment(options: options, loader: FileSystemLoader(root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)))
                .render(source: source, name: "<stdin>", context: context)
        }
        return try Environment.renderFile(at: URL(fileURLWithPath: path), context: context, options: options, name: path)
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
