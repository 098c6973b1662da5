import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import Secrets
import SystemKit
import Talos
import YAML

/// `talos-batch gen config NAME ENDPOINT`: `talosctl gen config`'s command line and file rules (`-o` a folder,
/// a file for one output type, `-` for standard output; no overwrite without `--force`; fresh secrets without
/// `--with-secrets`), writing plain configs (no documentation comments).
struct TalosctlGenConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Generate controlplane and worker machine configs for a cluster (like talosctl gen config).",
        discussion: "Boolean flags also take talosctl's `--flag=false` form (e.g. --with-cluster-discovery=false). " +
            "See docs/genconfig.md for the remaining differences from talosctl.\n\n" +
            helpExamples("talos-batch gen config my-cluster https://10.0.0.10:6443 --with-secrets secrets.yaml",
                         "talos-batch gen config my-cluster https://10.0.0.10:6443 --with-secrets secrets.yaml --talos-version v1.11 -o out",
                         "talos-batch gen config my-cluster https://10.0.0.10:6443 --output-types controlplane -o - --with-cluster-discovery=false")
    )

    @Argument(help: "The cluster name.") var clusterName: String
    @Argument(help: "The control plane endpoint, e.g. https://10.0.0.10:6443.") var endpoint: String

    @Option(help: "The secrets bundle (talosctl gen secrets / talhelper talsecret format); without it, fresh secrets are generated.")
    var withSecrets: String?
    @Option(help: "The Talos version whose config contract to follow (v1.3 to v1.15).")
    var talosVersion: String = TalhelperConfig.defaultTalosVersion
    @Option(help: "The Kubernetes version.") var kubernetesVersion = "1.36.3"
    @Option(name: .customLong("config-version"), help: "The machine config version (talosctl's --version): only v1alpha1 exists.")
    var configVersion = "v1alpha1"
    @Option(parsing: .singleValue, help: "Additional API server certificate SANs (comma-separated or repeated).")
    var additionalSans: [String] = []
    @Option(help: "The cluster DNS domain.") var dnsDomain = "cluster.local"
    @Option(help: "The install disk; an empty value leaves it out.") var installDisk = "/dev/sda"
    @Option(help: "The installer image; an empty value leaves it out (default ghcr.io/siderolabs/installer:<talos version>).")
    var installImage: String?
    @Option(parsing: .singleValue, help: "A patch for every config (@file or inline).") var configPatch: [String] = []
    @Option(parsing: .singleValue, help: "A patch for the controlplane config.") var configPatchControlPlane: [String] = []
    @Option(parsing: .singleValue, help: "A patch for the worker config.") var configPatchWorker: [String] = []
    @Option(parsing: .singleValue, help: "A registry mirror as <registry host>=<mirror URL> (comma-separated or repeated).")
    var registryMirror: [String] = []
    @Flag(inversion: .prefixedNo, help: "Enable the cluster discovery feature (also --with-cluster-discovery=false).")
    var withClusterDiscovery = true
    @Flag(inversion: .prefixedNo, help: "Enable the KubeSpan feature.") var withKubespan = false
    @Flag(inversion: .prefixedNo, help: "Accepted for talosctl; talos-batch writes no documentation comments (asking for them is a warning).")
    var withDocs: Bool?
    @Flag(inversion: .prefixedNo, help: "Accepted for talosctl; talos-batch writes no commented examples (asking for them is a warning).")
    var withExamples: Bool?
    @Flag(help: "Overwrite files that already exist (without it, an existing file is an error and nothing is written).")
    var force = false
    @Option(name: [.customShort("o"), .customLong("output")],
            help: "Where to write: a folder; for a single output type a file path, or - for standard output (default: the current folder).")
    var output: String?
    @Option(name: .customLong("output-dir"), help: "A folder to write into, whatever the output types (talosctl's older flag).")
    var outputDir: String?
    @Option(name: [.customLong("output-types"), .customShort("t")], parsing: .singleValue,
            help: "Which files to write: controlplane, worker, talosconfig (comma-separated or repeated).")
    var outputTypes: [String] = ["controlplane", "worker", "talosconfig"]

    @OptionGroup var colorOptions: ColorOptions

    static let allTypes = ["controlplane", "worker", "talosconfig"]
    /// Where fresh secrets are saved (talosctl gen secrets' default name).
    static let freshSecretsFile = "secrets.yaml"

    /// Where each output type goes, as talosctl decides it.
    enum Destination: Equatable {
        case standardOutput
        case folder(URL)
        case file(URL)
    }

    func destination(types: [String]) throws -> Destination {
        if outputDir != nil && output != nil { throw CLIError("--output-dir and -o/--output both name the destination; give one") }
        if let outputDir { return .folder(URL(fileURLWithPath: outputDir)) }
        guard let output else { return .folder(URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) }
        if output == "-" {
            guard types.count == 1 else {
                throw CLIError("-o - writes one file to standard output, but --output-types asks for \(types.count) (\(types.joined(separator: ", "))); pick one")
            }
            return .standardOutput
        }
        return types.count == 1 ? .file(URL(fileURLWithPath: output)) : .folder(URL(fileURLWithPath: output))
    }

    func run() throws {
        try runReportingDiagnostics(color: colorOptions.color) {
            var types: [String] = []
            for type in outputTypes.flatMap({ $0.split(separator: ",").map { String($0).trimming(.whitespaces) } }) where !types.contains(type) {
                guard Self.allTypes.contains(type) else { throw CLIError("unknown output type \"\(type)\" (valid: controlplane, worker, talosconfig)") }
                types.append(type)
            }
            guard !types.isEmpty else { throw CLIError("--output-types is empty; give at least one of controlplane, worker, talosconfig") }
            guard configVersion == "v1alpha1" else { throw CLIError("unknown config version: \"\(configVersion)\" (only v1alpha1 exists)") }
            let destination = try destination(types: types)
            guard endpoint.hasPrefix("https://") else {
                throw CLIError("the control plane endpoint URL should have scheme https://, e.g. https://\(endpoint):6443")
            }
            for (flag, value) in [("--with-docs", withDocs), ("--with-examples", withExamples)] where value == true {
                let line = "warning: \(flag): talos-batch writes configs without documentation comments or examples (as talosctl's --with-docs=false --with-examples=false)"
                StandardStream.standardError.write(Data((TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO).errorLine(line) + "\n").utf8))
            }
            let contract = try TalosVersionContract.parse(talosVersion)
            // Without --with-secrets a fresh bundle is generated and, unlike talosctl (which keeps it only inside
            // controlplane.yaml), also written as secrets.yaml (0600) beside the configs, so later runs can reuse it
            // with --with-secrets instead of minting new CAs.
            let secrets = try withSecrets.map { try GenSecretsLoader.load(path: $0) } ?? SecretsBundleGenerator.generate(talosVersion: talosVersion)
            var options = GeneratorOptions()
            options.additionalSANs = additionalSans.flatMap { $0.split(separator: ",").map(String.init) }
            options.dnsDomain = dnsDomain
            options.installDisk = installDisk
            let version = talosVersion.hasPrefix("v") ? talosVersion : "v" + talosVersion
            options.installImage = installImage ?? "ghcr.io/siderolabs/installer:\(version)"
            for spec in registryMirror.flatMap({ $0.split(separator: ",").map(String.init) }) {
                guard let equals = spec.firstIndex(of: "=") else { throw CLIError("invalid registry mirror spec: \"\(spec)\"") }
                options.registryMirrors[String(spec[..<equals]), default: []].append(String(spec[spec.index(after: equals)...]))
            }
            options.discoveryEnabled = withClusterDiscovery
            if withKubespan { options.kubeSpanEnabled = true }
            let generator = ConfigGenerator(clusterName: clusterName, endpoint: endpoint, kubernetesVersion: kubernetesVersion,
                                            secrets: secrets, contract: contract, options: options)
            let common = try configPatch.map { try ConfigPatch.load(argument: $0) }
            var files: [GeneratedFile] = []
            for (type, extra) in [(MachineType.controlplane, configPatchControlPlane), (.worker, configPatchWorker)]
            where types.contains(type.rawValue) {
                var config = try generator.generate(type)
                for patch in try common + extra.map({ try ConfigPatch.load(argument: $0) }) {
                    try config.apply(patch)
                }
                files.append(GeneratedFile(name: "\(type.rawValue).yaml", contents: Array(config.encoded(indent: 4).utf8), mode: 0o600))
            }
            if types.contains("talosconfig") {
                files.append(try GenTalosconfig.forGenConfig(clusterName: clusterName, secrets: secrets))
            }
            let companions = withSecrets == nil
                ? [GeneratedFile(name: Self.freshSecretsFile, contents: Array(YAMLEmitter(indent: 4).emit(secrets.encoded()).utf8), mode: 0o600)]
                : []
            try GenConfigDestinationWriter.write(files, to: destination, force: force, companions: companions)
        }
    }
}
