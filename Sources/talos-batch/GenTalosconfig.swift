import FoundationEssentials
import Glibc
import Secrets
import Talos

/// The `talosconfig` outputs of `gen config` and `genconfig`.
enum GenTalosconfig {
    /// `talosctl gen config`'s talosconfig: no endpoints (none are given), the cluster's admin certificate.
    static func forGenConfig(clusterName: String, secrets: SecretsBundle) throws -> GeneratedFile {
        let talosconfig = try Talosconfig.issued(for: clusterName, endpoints: [], nodes: [], secrets: secrets, now: Date())
        return GeneratedFile(name: "talosconfig", contents: Array(talosconfig.encoded().utf8), mode: 0o600)
    }

    static func forCluster(_ config: TalhelperConfig, secrets: SecretsBundle) throws -> GeneratedFile {
        try TalhelperGenerator.generateTalosconfig(config, secrets: secrets, now: Date())
    }
}
