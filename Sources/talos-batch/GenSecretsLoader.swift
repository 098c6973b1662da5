import Diagnostics
import Foundation
import Secrets
import YAML

/// Reads a plaintext secrets bundle (talhelper's talsecret.yaml / `talosctl gen secrets` format).
enum GenSecretsLoader {
    static func load(path: String) throws -> SecretsBundle {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GenCommandError("cannot read secrets file \(path)")
        }
        let root = try YAML.parseDocument(Array(data), file: path)
        if root["sops"] != nil {
            throw Diagnostic.error("SOPS-encrypted secrets are not readable in this build; decrypt \(path) first",
                                   at: root["sops"]?.location)
        }
        func value(_ keys: String...) throws -> String {
            var node: YAMLNode? = root
            for key in keys { node = node?[key] }
            guard let text = node?.scalar?.text, !(node?.isNullScalar ?? true) else {
                throw Diagnostic.error("secrets file is missing `\(keys.joined(separator: "."))`", at: root.location)
            }
            return text
        }
        func optional(_ keys: String...) -> String? {
            var node: YAMLNode? = root
            for key in keys { node = node?[key] }
            guard let text = node?.scalar?.text, !text.isEmpty, !(node?.isNullScalar ?? true) else { return nil }
            return text
        }
        func pair(_ name: String) throws -> SecretsBundle.CertAndKey {
            SecretsBundle.CertAndKey(crt: try value("certs", name, "crt"), key: try value("certs", name, "key"))
        }
        return SecretsBundle(
            clusterID: try value("cluster", "id"), clusterSecret: try value("cluster", "secret"),
            bootstrapToken: try value("secrets", "bootstraptoken"),
            secretboxEncryptionSecret: optional("secrets", "secretboxencryptionsecret"),
            aescbcEncryptionSecret: optional("secrets", "aescbcencryptionsecret"),
            trustdToken: try value("trustdinfo", "token"),
            etcd: try pair("etcd"), k8s: try pair("k8s"), k8sAggregator: try pair("k8saggregator"),
            k8sServiceAccountKey: try value("certs", "k8sserviceaccount", "key"), os: try pair("os"))
    }
}

private extension YAMLNode {
    var isNullScalar: Bool { scalar?.kind == .null }
}
