import Diagnostics
import Foundation
import Secrets
import Talos
import YAML

/// The rendered talhelper config + the cluster's SOPS-encrypted secrets → one Talos machine config per
/// node in `clusterconfig/` (0600, folder 0700), byte-for-byte deterministic.
public struct GenconfigStage: Stage {
    public static let folder = "clusterconfig"

    public init() {}

    public var name: String { "genconfig" }
    public var version: String { "1" }
    public var upstream: [String] { ["render"] }

    public func plan(for cluster: ClusterContext) -> StagePlan {
        StagePlan(inputs: [
            StageInput(name: RenderStage.talconfigOutput, source: .upstream(stage: "render", output: RenderStage.talconfigOutput)),
            StageInput(name: "talsecret.sops.yaml", source: .file(path: cluster.secrets.path)),
        ])
    }

    public func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
        let (config, warnings) = try Self.talhelperConfig(cluster: cluster, inputs: inputs)
        let secrets = try Self.secrets(cluster: cluster, inputs: inputs, environment: environment)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: secrets)
        return StageResult(outputs: files.map { file in
            GeneratedOutput(path: "\(Self.folder)/\(file.name)", contents: file.contents, mode: file.mode)
        }, warnings: warnings)
    }

    static func talhelperConfig(cluster: ClusterContext, inputs: StageInputs) throws -> (TalhelperConfig, [Diagnostic]) {
        let file = FleetLayout.displayPath(cluster.folder.appendingPathComponent(RenderStage.talconfigOutput, isDirectory: false).path)
        let node = try YAML.parseDocument(try inputs.bytes(RenderStage.talconfigOutput), file: file)
        return try TalhelperConfig.parse(node, file: file, strict: true)
    }

    static func secrets(cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> SecretsBundle {
        let file = FleetLayout.displayPath(cluster.secrets.path)
        let bytes = try inputs.bytes("talsecret.sops.yaml")
        guard SOPSFile.isEncrypted(bytes) else { return try parseAndValidate(bytes, file: file) }
        let identities = try AgeKeyLocator.identities(environment: environment.environment,
                                                      extraKeyFiles: environment.ageKeyFiles)
        return try DecryptedSecretsCache.bundle(for: bytes, identities: identities) {
            try parseAndValidate(Array(try SOPSFile.decrypt(bytes, file: file, identities: identities).utf8), file: file)
        }
    }

    private static func parseAndValidate(_ plaintext: [UInt8], file: String) throws -> SecretsBundle {
        let bundle = try SecretsBundle.parse(try YAML.parseDocument(plaintext, file: file), file: file)
        try bundle.validate(file: file)
        return bundle
    }
}
