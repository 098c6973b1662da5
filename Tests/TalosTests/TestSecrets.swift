import Foundation
import Secrets
import TestSupport
import YAML

/// Test-only reader for a plaintext talsecret.yaml (the strict parser belongs to the Secrets module).
enum TestSecrets {
    static func bundle(_ text: String) throws -> SecretsBundle {
        let root = try YAML.parseDocument(text, file: "secrets.yaml")
        func value(_ path: String...) -> String {
            var node: YAMLNode? = root
            for key in path { node = node?[key] }
            return node?.scalar?.text ?? ""
        }
        func pair(_ name: String) -> SecretsBundle.CertAndKey {
            SecretsBundle.CertAndKey(crt: value("certs", name, "crt"), key: value("certs", name, "key"))
        }
        let secretbox = value("secrets", "secretboxencryptionsecret")
        let aescbc = value("secrets", "aescbcencryptionsecret")
        return SecretsBundle(
            clusterID: value("cluster", "id"), clusterSecret: value("cluster", "secret"),
            bootstrapToken: value("secrets", "bootstraptoken"),
            secretboxEncryptionSecret: secretbox.isEmpty ? nil : secretbox,
            aescbcEncryptionSecret: aescbc.isEmpty ? nil : aescbc,
            trustdToken: value("trustdinfo", "token"),
            etcd: pair("etcd"), k8s: pair("k8s"), k8sAggregator: pair("k8saggregator"),
            k8sServiceAccountKey: value("certs", "k8sserviceaccount", "key"), os: pair("os"))
    }

    static var stability: URL { TestPaths.sharedReference.appendingPathComponent("talos-stability") }

    static func stabilityBundle() throws -> SecretsBundle {
        try bundle(String(contentsOf: stability.appendingPathComponent("secrets.yaml"), encoding: .utf8))
    }
}
