import FoundationEssentials
import Glibc
import Secrets

extension TalhelperGenerator {
    /// `talosconfig` (fresh admin client certificate; the caller decides when to reuse a cached one):
    /// context named after the cluster, endpoints the control planes' addresses, nodes every node's, and an
    /// Ed25519 client certificate signed by the bundle's OS CA with O=os:admin, valid one year from `now`.
    public static func generateTalosconfig(_ config: TalhelperConfig, secrets: SecretsBundle, now: Date) throws -> GeneratedFile {
        let talosconfig = try Talosconfig.issued(for: config.clusterName,
                                                 endpoints: config.nodes.filter(\.controlPlane).flatMap(\.ipAddresses),
                                                 nodes: config.nodes.flatMap(\.ipAddresses), secrets: secrets, now: now)
        return GeneratedFile(name: "talosconfig", contents: Array(talosconfig.encoded().utf8), mode: 0o600)
    }
}

extension Talosconfig {
    /// A talosconfig with a newly issued admin certificate (no common name, as Talos issues it).
    public static func issued(for context: String, endpoints: [String], nodes: [String], secrets: SecretsBundle,
                              now: Date) throws -> Talosconfig {
        let (certificate, key) = try ClientCertificateIssuer.issue(
            caCertBase64PEM: secrets.os.crt, caKeyBase64PEM: secrets.os.key, commonName: "",
            organizations: [adminOrganization], notBefore: now, validity: adminValidity)
        return Talosconfig(context: context, endpoints: endpoints, nodes: nodes, caBase64: secrets.os.crt,
                           certificatePEM: certificate, privateKeyPEM: key)
    }
}
