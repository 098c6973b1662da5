import Diagnostics
import Foundation
import Secrets
import YAML

/// Reads a secrets bundle (talhelper's talsecret.yaml / `talosctl gen secrets` format), SOPS-encrypted or plain.
enum GenSecretsLoader {
    /// The YAML text of a file, decrypted first when it is SOPS-encrypted (age keys found as sops finds them).
    static func plaintext(path: String, ageKeyFiles: [String]) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read \(path)")
        }
        let bytes = Array(data)
        guard SOPSFile.isEncrypted(bytes) else { return bytes }
        let identities = try AgeKeyLocator.identities(environment: ProcessInfo.processInfo.environment,
                                                      extraKeyFiles: ageKeyFiles.map { URL(fileURLWithPath: $0) })
        return Array(try SOPSFile.decrypt(bytes, file: path, identities: identities).utf8)
    }

    static func load(path: String, ageKeyFiles: [String] = []) throws -> SecretsBundle {
        let root = try YAML.parseDocument(try plaintext(path: path, ageKeyFiles: ageKeyFiles), file: path)
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
