import Diagnostics
import YAML

extension SecretsBundle {
    /// Reads a talsecret document strictly: every key must be one Talos' secrets bundle knows (an unknown or
    /// misspelt key is an error at its position, as talhelper's strict decoding reports it). Missing values
    /// read as empty; `validate(file:)` says which are required.
    public static func parse(_ node: YAMLNode, file: String) throws -> SecretsBundle {
        let root = YAMLValue(node, file: file)
        guard !root.isNull else { throw Diagnostic.error("\(file): the secrets file is empty", at: SourceLocation(file: file, line: 1, column: 1)) }
        try refuseEncryptedValues(in: node, file: file)
        try root.rejectUnknownKeys(allowed: ["cluster", "secrets", "trustdinfo", "certs"])

        func section(_ key: String, _ allowed: Set<String>) throws -> YAMLValue? {
            guard let value = try root.optionalField(key) else { return nil }
            try value.rejectUnknownKeys(allowed: allowed)
            return value
        }
        let cluster = try section("cluster", ["id", "secret"])
        let secrets = try section("secrets", ["bootstraptoken", "secretboxencryptionsecret", "aescbcencryptionsecret"])
        let trustd = try section("trustdinfo", ["token"])
        let certs = try section("certs", ["admin", "etcd", "k8s", "k8saggregator", "k8sserviceaccount", "os"])

        func pair(_ key: String) throws -> CertAndKey {
            guard let value = try certs?.optionalField(key) else { return CertAndKey(crt: "", key: "") }
            try value.rejectUnknownKeys(allowed: ["crt", "key"])
            return CertAndKey(crt: try value.optionalString("crt") ?? "", key: try value.optionalString("key") ?? "")
        }
        var serviceAccountKey = ""
        if let account = try certs?.optionalField("k8sserviceaccount") {
            try account.rejectUnknownKeys(allowed: ["key"])
            serviceAccountKey = try account.optionalString("key") ?? ""
        }
        return SecretsBundle(
            clusterID: try cluster?.optionalString("id") ?? "",
            clusterSecret: try cluster?.optionalString("secret") ?? "",
            bootstrapToken: try secrets?.optionalString("bootstraptoken") ?? "",
            secretboxEncryptionSecret: try secrets?.optionalString("secretboxencryptionsecret").flatMap { $0.isEmpty ? nil : $0 },
            aescbcEncryptionSecret: try secrets?.optionalString("aescbcencryptionsecret").flatMap { $0.isEmpty ? nil : $0 },
            trustdToken: try trustd?.optionalString("token") ?? "",
            etcd: try pair("etcd"), k8s: try pair("k8s"), k8sAggregator: try pair("k8saggregator"),
            k8sServiceAccountKey: serviceAccountKey, os: try pair("os"))
    }

    /// The talsecret.yaml shape, in the field order Talos and talhelper write.
    public func encoded() -> YAMLNode {
        func certPair(_ pair: CertAndKey) -> YAMLNode {
            .mapping([YAMLPair("crt", .string(pair.crt)), YAMLPair("key", .string(pair.key))])
        }
        var secretsPairs = [YAMLPair("bootstraptoken", .string(bootstrapToken))]
        if let aescbcEncryptionSecret { secretsPairs.append(YAMLPair("aescbcencryptionsecret", .string(aescbcEncryptionSecret))) }
        if let secretboxEncryptionSecret { secretsPairs.append(YAMLPair("secretboxencryptionsecret", .string(secretboxEncryptionSecret))) }
        return .mapping([
            YAMLPair("cluster", .mapping([YAMLPair("id", .string(clusterID)), YAMLPair("secret", .string(clusterSecret))])),
            YAMLPair("secrets", .mapping(secretsPairs)),
            YAMLPair("trustdinfo", .mapping([YAMLPair("token", .string(trustdToken))])),
            YAMLPair("certs", .mapping([
                YAMLPair("etcd", certPair(etcd)),
                YAMLPair("k8s", certPair(k8s)),
                YAMLPair("k8saggregator", certPair(k8sAggregator)),
                YAMLPair("k8sserviceaccount", .mapping([YAMLPair("key", .string(k8sServiceAccountKey))])),
                YAMLPair("os", certPair(os)),
            ])),
        ])
    }
}

extension SecretsBundle {
    /// A value still `ENC[…]` in a file read as a plain bundle means the file lost its `sops` metadata
    /// (cut short, or the block deleted): say so at that value, not as a missing bundle field later.
    static func refuseEncryptedValues(in node: YAMLNode, file: String) throws {
        switch node.content {
        case .scalar(let scalar):
            if scalar.text.hasPrefix("ENC[") {
                throw Diagnostic.error("a SOPS-encrypted value, but the file has no complete `sops` metadata block: "
                                       + "the file is truncated or its metadata was removed; restore it from version control",
                                       at: node.location ?? SourceLocation(file: file, line: 1, column: 1))
            }
        case .sequence(let items):
            for item in items { try refuseEncryptedValues(in: item, file: file) }
        case .mapping(let pairs):
            for pair in pairs { try refuseEncryptedValues(in: pair.value, file: file) }
        }
    }
}
