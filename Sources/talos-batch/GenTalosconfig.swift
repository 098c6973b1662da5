import Secrets
import Talos

/// The `talosconfig` outputs; the admin client certificate comes from the Secrets module's issuer.
enum GenTalosconfig {
    static func forGenConfig(clusterName: String, secrets: SecretsBundle) throws -> GeneratedFile {
        throw GenCommandError("the talosconfig output needs the Secrets module's client certificate issuer, which this build lacks; use --output-types controlplane,worker")
    }

    static func forCluster(_ config: TalhelperConfig, secrets: SecretsBundle) throws -> GeneratedFile {
        throw GenCommandError("the talosconfig output needs the Secrets module's client certificate issuer, which this build lacks")
    }
}
