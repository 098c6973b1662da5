import Diagnostics
import FoundationEssentials
import Glibc
import Secrets
import SystemKit
import Talos
import YAML

/// The talosconfig admin client certificate, issued from the cluster's OS CA. It is the one output that is
/// not a function of the inputs (a fresh key each time), so it is its own stage keyed by the secrets
/// alone: a cached certificate is reused — across talconfig edits too — while it has more than 30 days
/// left, and reissued once it gets closer to expiry or the CA changes.
///
/// Issued deterministically (issue 19): valid from the start of the current UTC day, with its key and
/// serial derived from the CA key, so every run that issues one for a bundle on the same day issues the
/// same bytes — two runs with separate caches, or clusters sharing a bundle in one run, can never leave a
/// talosconfig and an admin file from different issues.
public struct AdminCertificateStage: Stage {
    /// The certificate's file, hidden, in the cluster's output folder.
    public static let fileName = ".talosconfig-admin.yaml"
    public static let minimumRemainingValidity: TimeInterval = 30 * 24 * 3600

    public init() {}

    public var name: String { "admincert" }
    public var version: String { "1" }
    public var upstream: [String] { [] }
    public var expires: Bool { true }

    /// The certificate's path relative to the cluster folder.
    public static func output(_ cluster: ClusterContext) -> String { cluster.fleet.outputFolder.file(fileName) }

    public func plan(for cluster: ClusterContext) -> StagePlan {
        StagePlan(inputs: [StageInput(name: "talsecret.sops.yaml", source: .file(path: cluster.secrets.path), keyBasis: .secretsBundle)],
                  parameters: [GenconfigStage.outputFolderParameter(cluster)])
    }

    public func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
        let secrets = try GenconfigStage.secrets(cluster: cluster, inputs: inputs, environment: environment)
        let issued = try ClientCertificateIssuer.issue(
            caCertBase64PEM: secrets.os.crt, caKeyBase64PEM: secrets.os.key, commonName: "admin",
            organizations: [Talosconfig.adminOrganization], notBefore: Self.issueDay(of: environment.now),
            validity: Talosconfig.adminValidity, deterministic: true)
        let document = YAMLNode.mapping([
            YAMLPair("ca", .string(secrets.os.crt)),
            YAMLPair("crt", .string(issued.certificatePEM)),
            YAMLPair("key", .string(issued.privateKeyPEM)),
        ])
        return StageResult(outputs: [GeneratedOutput(path: Self.output(cluster), contents: Array(YAMLEmitter(indent: 4).emit(document).utf8),
                                                     mode: 0o600)])
    }

    /// The start of `now`'s UTC day: the notBefore of every certificate issued that day.
    static func issueDay(of now: Date) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// Reissued once fewer than 30 days are left; an unreadable certificate is reissued at once.
    public func validUntil(outputs: [GeneratedOutput]) -> Date {
        guard let output = outputs.first(where: { $0.path.pathLastComponent == Self.fileName }),
              let admin = try? Self.parse(output.contents, file: output.path),
              let notAfter = try? ClientCertificateIssuer.notAfter(ofCertificatePEM: admin.certificatePEM) else { return .distantPast }
        return notAfter.addingTimeInterval(-Self.minimumRemainingValidity)
    }

    /// The CA (base64 PEM, as in the bundle), the client certificate and its key (PEM).
    static func parse(_ bytes: [UInt8], file: String) throws -> (caBase64: String, certificatePEM: String, privateKeyPEM: String) {
        try parsedFiles.value(for: "", bytes) {
            let root = try YAML.parseDocument(bytes, file: file)
            guard let ca = root["ca"]?.scalar?.text, let crt = root["crt"]?.scalar?.text, let key = root["key"]?.scalar?.text else {
                throw Diagnostic.error("\(file) lacks ca, crt or key; delete it to have it reissued")
            }
            return (ca, crt, key)
        }
    }

    /// Each issued file is parsed twice in a run (its expiry right after it is issued, then by talosconfig):
    /// parsed once, by content. Process-wide because `validUntil` has no run environment, and safe since a
    /// parse is a pure function of the bytes (failures are not kept). Admincert runs ahead of talosconfig
    /// by the clusters in flight, which the bound covers (128 files ≈ 300 KB).
    private static let parsedFiles = RecentResults<(caBase64: String, certificatePEM: String, privateKeyPEM: String)>(capacity: 128)
}

/// `talosconfig` in the output folder: talosctl's client config for the cluster (control planes as
/// endpoints, every node as a node), carrying the admin certificate — deterministic given its inputs.
public struct TalosconfigStage: Stage {
    public static let fileName = "talosconfig"

    /// The talosconfig's path relative to the cluster folder.
    public static func output(_ cluster: ClusterContext) -> String { cluster.fleet.outputFolder.file(fileName) }

    public init() {}

    public var name: String { "talosconfig" }
    public var version: String { "1" }
    public var upstream: [String] { ["render", "admincert"] }

    public func plan(for cluster: ClusterContext) -> StagePlan {
        StagePlan(inputs: [
            StageInput(name: RenderStage.talconfigOutput, source: .upstream(stage: "render", output: RenderStage.talconfigOutput)),
            StageInput(name: "admin", source: .upstream(stage: "admincert", output: AdminCertificateStage.output(cluster))),
        ], parameters: [GenconfigStage.outputFolderParameter(cluster)])
    }

    public func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
        let (config, warnings) = try GenconfigStage.talhelperConfig(cluster: cluster, inputs: inputs, memos: environment.memos)
        let admin = try AdminCertificateStage.parse(try inputs.bytes("admin"), file: AdminCertificateStage.output(cluster))
        let talosconfig = Talosconfig.forCluster(config, caBase64: admin.caBase64, certificatePEM: admin.certificatePEM,
                                                 privateKeyPEM: admin.privateKeyPEM)
        return StageResult(outputs: [GeneratedOutput(path: Self.output(cluster), contents: Array(talosconfig.encoded().utf8), mode: 0o600)],
                           warnings: warnings)
    }
}
