import ArgumentParser
import Diagnostics
import Foundation
import Talos

/// `talos-batch gen config NAME ENDPOINT`: `talosctl gen config` with an existing secrets bundle,
/// writing plain configs (no documentation comments).
struct TalosctlGenConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Generate controlplane and worker machine configs for a cluster (like talosctl gen config).",
        discussion: helpExamples("talos-batch gen config my-cluster https://10.0.0.10:6443 --with-secrets secrets.yaml", "talos-batch gen config my-cluster https://10.0.0.10:6443 --with-secrets secrets.yaml --talos-version v1.11 -o out")
    )

    @Argument(help: "The cluster name.") var clusterName: String
    @Argument(help: "The control plane endpoint, e.g. https://10.0.0.10:6443.") var endpoint: String

    @Option(help: "The secrets bundle (talosctl gen secrets / talhelper talsecret format).")
    var withSecrets: String
    @Option(help: "The Talos version whose config contract to follow (v1.3 to v1.15).")
    var talosVersion: String = TalhelperConfig.defaultTalosVersion
    @Option(help: "The Kubernetes version.") var kubernetesVersion = "1.36.3"
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
    @Option(help: "Enable the cluster discovery feature.") var withClusterDiscovery = true
    @Flag(help: "Enable the KubeSpan feature.") var withKubespan = false
    @Option(name: [.customLong("output-dir"), .customShort("o"), .customLong("output")], help: "Where to write the files.")
    var outputDir = "."
    @Option(name: [.customLong("output-types"), .customShort("t")], parsing: .singleValue,
            help: "Which files to write: controlplane, worker, talosconfig (comma-separated or repeated).")
    var outputTypes: [String] = ["controlplane", "worker", "talosconfig"]

    func run() throws {
        try runReportingDiagnostics {
            let types = Set(outputTypes.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } })
            for type in types where !["controlplane", "worker", "talosconfig"].contains(type) {
                throw CLIError("unknown output type \"\(type)\" (valid: controlplane, worker, talosconfig)")
            }
            guard endpoint.hasPrefix("https://") else {
                throw CLIError("the control plane endpoint URL should have scheme https://, e.g. https://\(endpoint):6443")
            }
            let contract = try TalosVersionContract.parse(talosVersion)
            let secrets = try GenSecretsLoader.load(path: withSecrets)
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
            try GenOutputWriter.write(files, to: URL(fileURLWithPath: outputDir))
            for file in files { print("generated \(URL(fileURLWithPath: outputDir).appendingPathComponent(file.name).path)") }
        }
    }
}
