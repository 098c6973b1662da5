import ArgumentParser
import Diagnostics
import Foundation
import Jinja
import YAML

/// `talos-batch render`: renders a Jinja2 template with the native engine, as a jinja2-cli replacement.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a Jinja2 template (byte-identical to Python Jinja2 3.1) with values from YAML or JSON.")

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
        if template == nil { throw ValidationError("--template is required") }
        if let delimiters, delimiters.split(separator: " ", omittingEmptySubsequences: true).count != 6 {
            throw ValidationError("--delimiters takes six space-separated strings: block start/end, variable start/end, comment start/end")
        }
    }

    func run() throws {
        do {
            let text = try renderStandalone()
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
        guard let data = FileManager.default.contents(atPath: path) else {
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
            value = Value(yaml: try YAML.parseDocument(text, file: path))
        }
        if case .none = value { return [:] }
        guard let context = Value.context(from: value) else {
            throw Diagnostic.error("the values must be a mapping at the top level", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return context
    }

    static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try data.write(to: temp)
            if rename(temp.path, url.path) != 0 {
                throw Diagnostic.error("cannot write \(path): \(String(cString: strerror(errno)))", at: nil)
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            if error is Diagnostic { throw error }
            throw Diagnostic.error("cannot write \(path): \(error.localizedDescription)", at: nil)
        }
    }
}
