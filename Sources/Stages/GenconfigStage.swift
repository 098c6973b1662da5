import Diagnostics
import Foundation
import Secrets
import Talos
import YAML

/// The rendered talhelper config + the cluster's SOPS-encrypted secrets + every file the config names
/// (`@file` patches, machine files, extra manifests; resolved against the cluster folder, as talhelper
/// resolves them against the talconfig's folder) → one Talos machine config per node in `clusterconfig/`
/// (0600, folder 0700), byte-for-byte deterministic.
public struct GenconfigStage: Stage {
    public static let folder = "clusterconfig"
    /// Referenced files are inputs named `@<path as written>`, like talhelper's own syntax.
    static let referencePrefix = "@"

    public init() {}

    public var name: String { "genconfig" }
    /// 2: `@file` paths resolve against the cluster folder and their bytes are inputs.
    public var version: String { "2" }
    public var upstream: [String] { ["render"] }

    public func plan(for cluster: ClusterContext) -> StagePlan {
        StagePlan(inputs: [
            StageInput(name: RenderStage.talconfigOutput, source: .upstream(stage: "render", output: RenderStage.talconfigOutput)),
            StageInput(name: "talsecret.sops.yaml", source: .file(path: cluster.secrets.path), keyBasis: .secretsBundle),
        ], references: StageReferences(discover: { try referencedInputs(for: cluster, inputs: $0, environment: $1) },
                                       input: { referencedInput(named: $0, for: cluster) }))
    }

    /// The `@file` references of the rendered talconfig (`inputs`: the declared inputs' bytes).
    public func referencedInputs(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> [StageInput] {
        let (config, _) = try Self.talhelperConfig(cluster: cluster, inputs: inputs, memos: environment.memos)
        return try config.fileReferences.map { file in
            guard FileManager.default.fileExists(atPath: file.url.path) else {
                throw Diagnostic.error("cannot read @\(file.reference): \(FleetLayout.displayPath(file.url.path)) does not exist",
                                       at: file.location)
            }
            return StageInput(name: Self.referencePrefix + file.reference, source: .file(path: file.url.path))
        }
    }

    /// The input a reference name (`@<path>`) stands for.
    public func referencedInput(named name: String, for cluster: ClusterContext) -> StageInput? {
        guard name.hasPrefix(Self.referencePrefix) else { return nil }
        let reference = String(name.dropFirst(Self.referencePrefix.count))
        guard !reference.isEmpty else { return nil }
        let url = reference.hasPrefix("/") ? URL(fileURLWithPath: reference)
            : cluster.folder.appendingPathComponent(reference, isDirectory: false)
        return StageInput(name: name, source: .file(path: url.standardizedFileURL.path))
    }

    public func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
        var (config, warnings) = try Self.talhelperConfig(cluster: cluster, inputs: inputs, memos: environment.memos)
        config.decryptionIdentities = { try environment.ageIdentities() }  // for SOPS-encrypted @file patches
        let secrets = try Self.secrets(cluster: cluster, inputs: inputs, environment: environment)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: secrets)
        return StageResult(outputs: files.map { file in
            GeneratedOutput(path: "\(Self.folder)/\(file.name)", contents: file.contents, mode: file.mode)
        }, warnings: warnings)
    }

    /// The rendered talconfig as talhelper reads it from the cluster folder: `@file` references resolve
    /// there, their contents come only from the inputs (the bytes the stage was keyed by), and positions
    /// inside inline patches map back to exact columns of the rendered file.
    static func talhelperConfig(cluster: ClusterContext, inputs: StageInputs, memos: StageMemos) throws
        -> (TalhelperConfig, [Diagnostic]) {
        let bytes = try inputs.bytes(RenderStage.talconfigOutput)
        var (config, warnings) = try memos.parsedTalconfigs.value(for: cluster.folderPath, bytes) {
            let file = cluster.displayPath(of: RenderStage.talconfigOutput)
            let node = try memos.parsedRenders.value(for: file, bytes) { try YAML.parseDocument(bytes, file: file) }
            var (config, warnings) = try TalhelperConfig.parse(node, file: file, strict: true)
            config.baseDirectory = cluster.folder
            config.attachSource(String(decoding: bytes, as: UTF8.self))
            return (config, warnings)
        }
        var files: [String: [UInt8]] = [:]
        let stage = GenconfigStage()
        for (name, contents) in inputs.contents {
            if let input = stage.referencedInput(named: name, for: cluster), case .file(let path) = input.source {
                files[path] = contents
            }
        }
        config.files = files
        return (config, warnings)
    }

    static func secrets(cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> SecretsBundle {
        try secrets(cluster: cluster, bytes: try inputs.bytes("talsecret.sops.yaml"), environment: environment)
    }

    /// The bundle a secrets file holds (decrypted when encrypted, once per run for each content).
    static func secrets(cluster: ClusterContext, bytes: [UInt8], environment: StageEnvironment) throws -> SecretsBundle {
        let file = FleetLayout.displayPath(cluster.secrets.path)
        // Telling an encrypted file from a plain bundle parses it; clusters sharing a bundle ask once.
        guard environment.memos.encryptedFiles.value(for: "", bytes, compute: { SOPSFile.isEncrypted(bytes) }) else {
            return try parseAndValidate(bytes, file: file)
        }
        let identities = try environment.ageIdentities()
        let recipients = identities.map(\.recipient).joined(separator: "\n")
        return try environment.memos.decryptedSecrets.value(for: recipients, bytes) {
            try SecretsBundle.decrypting(bytes, file: file, identities: identities)
        }
    }

    private static func parseAndValidate(_ plaintext: [UInt8], file: String) throws -> SecretsBundle {
        let bundle = try SecretsBundle.parse(try YAML.parseDocument(plaintext, file: file), file: file)
        try bundle.validate(file: file)
        return bundle
    }
}
