import Diagnostics
import Secrets
import YAML

/// Reads a decrypted talsecret.yaml into a `SecretsBundle`, naming the position of whatever is missing.
/// (Interim: the Secrets module's own strict parser, `SecretsBundle.parse`, replaces this when it lands.)
enum TalsecretDecoding {
    static func bundle(_ root: YAMLNode, file: String) throws -> SecretsBundle {
        var problems: [Diagnostic] = []
        func value(_ keys: String...) -> String {
            var node: YAMLNode? = root
            for key in keys { node = node?[key] }
            guard let scalar = node?.scalar, scalar.kind == .string, !scalar.text.isEmpty else {
                problems.append(.error("missing or empty `\(keys.joined(separator: "."))` in the secrets bundle",
                                       at: node?.location ?? root.location ?? SourceLocation(file: file, line: 1, column: 1)))
                return ""
            }
            return scalar.text
        }
        func optional(_ keys: String...) -> String? {
            var node: YAMLNode? = root
            for key in keys { node = node?[key] }
            guard let scalar = node?.scalar, scalar.kind == .string, !scalar.text.isEmpty else { return nil }
            return scalar.text
        }
        func pair(_ name: String) -> SecretsBundle.CertAndKey {
            SecretsBundle.CertAndKey(crt: value("certs", name, "crt"), key: value("certs", name, "key"))
        }
        let secretbox = optional("secrets", "secretboxencryptionsecret")
        let aescbc = optional("secrets", "aescbcencryptionsecret")
        if (secretbox == nil) == (aescbc == nil) {
            problems.append(.error("the secrets bundle needs exactly one of `secrets.secretboxencryptionsecret` and `secrets.aescbcencryptionsecret`",
                                   at: root["secrets"]?.location ?? root.location ?? SourceLocation(file: file, line: 1, column: 1)))
        }
        let bundle = SecretsBundle(
            clusterID: value("cluster", "id"), clusterSecret: value("cluster", "secret"),
            bootstrapToken: value("secrets", "bootstraptoken"),
            secretboxEncryptionSecret: secretbox, aescbcEncryptionSecret: aescbc,
            trustdToken: value("trustdinfo", "token"),
            etcd: pair("etcd"), k8s: pair("k8s"), k8sAggregator: pair("k8saggregator"),
            k8sServiceAccountKey: value("certs", "k8sserviceaccount", "key"), os: pair("os"))
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return bundle
    }
}
