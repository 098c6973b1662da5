import Diagnostics
import FoundationEssentials
import Glibc
import Hashing
import Secrets
import Talos
import YAML

/// The rendered talhelper config + the cluster's SOPS-encrypted secrets + every file the config names
/// (`@file` patches, machine files, extra manifests; resolved against the cluster folder, as talhelper
/// resolves them against the talconfig's folder) → one Talos machine config per node and a `.gitignore`
/// in the cluster's output folder (`FleetLayout.outputFolder`: the cluster folder itself by default, as
/// the seed lays it out; 0600, folder 0700), byte-for-byte deterministic.
public struct GenconfigStage: Stage {
    /// The files of a cluster folder that are never an output of this stage, wherever the output folder is:
    /// the user's inputs and the other stages' outputs. A node whose file name would be one of them is an
    /// error, and a cached record naming one is refused (see `StageOutputDeclarations`).
    public static let clusterFolderFiles: Set<String> = [
        "talenv.yaml", "talenv.sops.yaml", "talsecret.sops.yaml", "talsecret.yaml", "talconfig.yaml", "talos-batch.yaml",
        RenderStage.talconfigOutput, RenderStage.schematicOutput, ValidateStage.output, ".talos-batch.lock", AppliedState.fileName,
    ]
    /// Referenced files are inputs named `@<path as written>`, like talhelper's own syntax.
    static let referencePrefix = "@"

    /// The output folder's ignore file (talhelper's name).
    public static let gitignoreName = TalhelperGenerator.gitignoreName

    public init() {}

    /// The key parameter naming the output folder (genconfig, admincert and talosconfig): outputs are recorded
    /// by path, so a moved folder is another result (and the previous run's files are removed as stale).
    static func outputFolderParameter(_ cluster: ClusterContext) -> StageParameter {
        StageParameter(name: "outputFolder", value: cluster.fleet.outputFolder.path)
    }

    public var name: String { "genconfig" }
    /// 2: `@file` paths resolve against the cluster folder and their bytes are inputs.
    public var version: String { "2" }
    public var upstream: [String] { ["render"] }

    public func plan(for cluster: ClusterContext) -> StagePlan {
        StagePlan(inputs: [
            StageInput(name: RenderStage.talconfigOutput, source: .upstream(stage: "render", output: RenderStage.talconfigOutput)),
            StageInput(name: "talsecret.sops.yaml", source: .file(path: cluster.secrets.path), keyBasis: .secretsBundle),
        ], parameters: [Self.outputFolderParameter(cluster)], references: StageReferences(discover: { try referencedInputs(for: cluster, inputs: $0, environment: $1) },
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
        if let warning = Self.plaintextBundleWarning(cluster: cluster, inputs: inputs) { warnings.append(warning) }
        let folder = cluster.fleet.outputFolder
        // Files this stage must never overwrite: the cluster's own inputs, other stages' outputs, and every
        // file the talconfig references (a patch in the output folder named like a node's config).
        var taken = Set(Self.clusterFolderFiles)
        taken.formUnion([AdminCertificateStage.fileName, TalosconfigStage.fileName])
        let referenced = Set(inputs.contents.keys.compactMap { name -> String? in
            guard case .file(let path)? = referencedInput(named: name, for: cluster)?.source,
                  path.hasPrefix(cluster.folderPath + "/") else { return nil }
            return String(path.dropFirst(cluster.folderPath.count + 1))
        })
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: secrets,
                                                               alsoIgnored: [AdminCertificateStage.fileName])
        var outputs: [GeneratedOutput] = []
        for file in files {
            let path = folder.file(file.name)
            if file.name != Self.gitignoreName && (taken.contains(file.name) || referenced.contains(path)) {
                let node = config.nodes.first { TalhelperGenerator.outputFileName($0, in: config) == file.name }
                throw Diagnostic.error("node \(node?.hostname ?? file.name): its machine config \(cluster.displayPath(of: path)) "
                                       + "would replace a file talos-batch reads or writes for other purposes; change the "
                                       + "node's filenameTmpl or `outputFolder` in \(ProjectSettings.fileName)",
                                       at: node?.location)
            }
            outputs.append(GeneratedOutput(path: path, contents: file.contents, mode: file.mode))
        }
        return StageResult(outputs: outputs, warnings: warnings)
    }

    /// A plaintext bundle is accepted under a name without `.sops` only, and then with a warning.
    static func plaintextBundleWarning(cluster: ClusterContext, inputs: StageInputs) -> Diagnostic? {
        guard let bytes = inputs.contents["talsecret.sops.yaml"], !SOPSFile.isEncrypted(bytes) else { return nil }
        return Diagnostic.warning("\(cluster.secrets.lastPathComponent) is not encrypted: its secrets are in plain text; "
                                  + "encrypt it with sops and name it talsecret.sops.yaml",
                                  at: SourceLocation(file: FleetLayout.displayPath(cluster.secrets.path), line: 1, column: 1))
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
        try secrets(cluster: cluster, bytes: try inputs.bytes("talsecret.sops.yaml"), digest: try inputs.digest("talsecret.sops.yaml"),
                    environment: environment)
    }

    /// The bundle a secrets file holds (decrypted when encrypted, once per run for each content; `digest`
    /// is the SHA-256 of `bytes`).
    static func secrets(cluster: ClusterContext, bytes: [UInt8], digest: Digest, environment: StageEnvironment) throws -> SecretsBundle {
        let file = FleetLayout.displayPath(cluster.secrets.path)
        // A byte scan, cheaper than the SHA-256 a memo of it would take.
        guard SOPSFile.isEncrypted(bytes) else {
            // A `.sops.` name promises encryption (and `git add` of it is then safe): a plaintext bundle under
            // it is refused rather than used, since its secrets would sit unencrypted where nobody expects it.
            // (Encrypted values without metadata are a damaged file, which the parse reports at the first value.)
            if cluster.secrets.lastPathComponent.contains(".sops."), bytes.firstRange(of: Array("ENC[".utf8)) == nil {
                throw Diagnostic.error("\(cluster.secrets.lastPathComponent) holds no SOPS metadata (no top-level `sops:` with a "
                                       + "`mac`): a plaintext secrets bundle under an encrypted file's name. Encrypt it "
                                       + "(sops -e -i \(file)), or rename it talsecret.yaml to use it unencrypted",
                                       at: SourceLocation(file: file, line: 1, column: 1))
            }
            return try parseAndValidate(bytes, file: file)
        }
        let identities = try environment.ageIdentities()
        let recipients = identities.map(\.recipient).joined(separator: "\n")
        return try environment.memos.decryptedSecrets.value(for: recipients, digest: digest) {
            try SecretsBundle.decrypting(bytes, file: file, identities: identities)
        }
    }

    private static func parseAndValidate(_ plaintext: [UInt8], file: String) throws -> SecretsBundle {
        let bundle = try SecretsBundle.parse(try YAML.parseDocument(plaintext, file: file), file: file)
        try bundle.validate(file: file)
        return bundle
    }
}

