import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import SystemKit
import Talos
import YAML

/// `talos-batch genconfig`: talhelper's `genconfig` for one talconfig, natively.
struct GenconfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genconfig",
        abstract: "Generate every node's machine config from a talhelper talconfig.yaml (like talhelper genconfig).",
        discussion: helpExamples("talos-batch genconfig", "talos-batch genconfig -c talconfig.yaml -s talsecret.sops.yaml -o clusterconfig")
    )

    @Option(name: [.customShort("c"), .customLong("config-file")], help: "The talconfig file.")
    var configFile = "talconfig.yaml"
    @Option(name: [.customShort("s"), .customLong("secret-file")], help: "The secrets bundle (talsecret.yaml).")
    var secretFile = "talsecret.sops.yaml"
    @Option(name: [.customShort("o"), .customLong("out-dir")], help: "Where to write the configs.")
    var outDir = "./clusterconfig"
    @Option(name: [.customShort("e"), .customLong("env-file")], parsing: .singleValue,
            help: "Files with variables for ${VAR} substitution (default talenv.yaml, talenv.sops.yaml, talenv.yml, talenv.sops.yml when present).")
    var envFile: [String] = []
    @Option(name: .customLong("age-key-file"), parsing: .singleValue, help: "An extra age identity file for SOPS-encrypted inputs.")
    var ageKeyFiles: [String] = []
    @Flag(help: "Treat fields talhelper would ignore as errors.") var strict = false
    @Flag(help: "Skip the talosconfig output.") var noTalosconfig = false

    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        try runReportingDiagnostics(color: colorOptions.color) {
            let configURL = URL(fileURLWithPath: configFile)
            guard let bytes = try readInputFile(configURL.path) else {
                throw CLIError("cannot read \(configFile)")
            }
            var environment = ProcessInfo.processInfo.environment
            let envFiles = envFile.isEmpty
                ? ["talenv.yaml", "talenv.sops.yaml", "talenv.yml", "talenv.sops.yml"].filter { FileManager.default.fileExists(atPath: $0) }
                : envFile
            for file in envFiles {
                // A default file that is no flat NAME: value list (a talos-batch fleet's talenv.yaml, which
                // holds the cluster's nested values) is not an env file: skipped with a note, as talhelper
                // skips a file its dotenv reader cannot take. Named with -e, it must be one (an error).
                guard let values = try Self.readEnvironmentFile(file, ageKeyFiles: ageKeyFiles, required: !envFile.isEmpty) else {
                    StandardStream.standardError.write(Data(("note: \(file) is not a flat NAME: value file (a talos-batch fleet's "
                        + "talenv.yaml?); not used for ${VAR} substitution (pass -e \(file) to require it)\n").utf8))
                    continue
                }
                environment.merge(values) { _, new in new }
            }
            var (config, warnings) = try TalhelperConfig.load(Array(bytes), file: configFile, environment: environment, strict: strict,
                                                              baseDirectory: configURL.deletingLastPathComponent())
            config.decryptionIdentities = { [ageKeyFiles] in try GenSecretsLoader.identities(ageKeyFiles) }
            printWarnings(warnings)
            let secrets = try GenSecretsLoader.load(path: secretFile, ageKeyFiles: ageKeyFiles)
            var files = try TalhelperGenerator.generateNodeConfigs(config, secrets: secrets)
            if !noTalosconfig { files.append(try GenTalosconfig.forCluster(config, secrets: secrets)) }
            try GenOutputWriter.write(files, to: URL(fileURLWithPath: outDir))
            for file in files where file.name != ".gitignore" {
                print("generated \(URL(fileURLWithPath: outDir).appendingPathComponent(file.name).path)")
            }
        }
    }

    /// A talenv file: a YAML mapping of names to scalar values (as talhelper's dotenv reader takes it).
    /// A file of another shape is an error at its first offending value when `required`; otherwise nil.
    static func readEnvironmentFile(_ path: String, ageKeyFiles: [String], required: Bool = true) throws -> [String: String]? {
        let bytes = try GenSecretsLoader.plaintext(path: path, ageKeyFiles: ageKeyFiles)
        let root: YAMLNode
        do {
            root = try YAML.parseDocument(bytes, file: path)
        } catch where !required {
            return nil
        }
        if root.isNullDocument { return [:] }
        guard let pairs = root.mappingPairs else {
            if !required { return nil }
            throw Diagnostic.error("expected a mapping of variable names to values", at: root.location)
        }
        var values: [String: String] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar?.text, let value = pair.value.scalar else {
                if !required { return nil }
                throw Diagnostic.error("expected NAME: value", at: pair.value.location ?? pair.key.location)
            }
            values[key] = value.kind == .null ? "" : value.text
        }
        return values
    }
}

private extension YAMLNode {
    var isNullDocument: Bool { scalar?.kind == .null }
}
