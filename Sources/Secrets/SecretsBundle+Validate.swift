import Diagnostics

extension SecretsBundle {
    /// Checks what Talos needs before generating configs: cluster id/secret present, tokens shaped
    /// `[a-z0-9]{6}.[a-z0-9]{16}`, exactly one encryption secret, every certificate and key decodes (base64 of
    /// PEM) and each key belongs to its certificate. All problems are reported together; no secret value
    /// appears in a message.
    public func validate(file: String) throws {
        var problems: [String] = []
        if clusterID.isEmpty { problems.append("`cluster.id` is required") }
        if clusterSecret.isEmpty { problems.append("`cluster.secret` is required") }
        if !Self.isToken(bootstrapToken) {
            problems.append(bootstrapToken.isEmpty ? "`secrets.bootstraptoken` is required"
                                                   : "`secrets.bootstraptoken` must match [a-z0-9]{6}.[a-z0-9]{16}")
        }
        if !Self.isToken(trustdToken) {
            problems.append(trustdToken.isEmpty ? "`trustdinfo.token` is required"
                                                : "`trustdinfo.token` must match [a-z0-9]{6}.[a-z0-9]{16}")
        }
        switch (secretboxEncryptionSecret, aescbcEncryptionSecret) {
        case (nil, nil):
            problems.append("one of `secrets.secretboxencryptionsecret` and `secrets.aescbcencryptionsecret` is required")
        case (.some, .some):
            problems.append("only one of `secrets.secretboxencryptionsecret` and `secrets.aescbcencryptionsecret` may be set")
        default:
            break
        }
        for (name, pair) in [("etcd", etcd), ("k8s", k8s), ("k8saggregator", k8sAggregator), ("os", os)] {
            if let problem = Self.checkPair(pair) { problems.append("`certs.\(name)`: \(problem)") }
        }
        if k8sServiceAccountKey.isEmpty {
            problems.append("`certs.k8sserviceaccount.key` is required")
        } else if let pem = k8sServiceAccountKey.base64DecodedUTF8 {
            if (try? X509Key.parse(pem: pem)) == nil { problems.append("`certs.k8sserviceaccount.key` is not a valid PEM private key") }
        } else {
            problems.append("`certs.k8sserviceaccount.key` is not base64")
        }
        guard problems.isEmpty else {
            let diagnostics = problems.map { Diagnostic.error("\(file): invalid secrets bundle: \($0)") }
            if diagnostics.count == 1 { throw diagnostics[0] }
            throw DiagnosticList(diagnostics)
        }
    }

    static func isToken(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count == 23, bytes[6] == UInt8(ascii: ".") else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            index == 6 || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
        }
    }

    static func checkPair(_ pair: CertAndKey) -> String? {
        if pair.crt.isEmpty { return "`crt` is required" }
        if pair.key.isEmpty { return "`key` is required" }
        guard let certPEM = pair.crt.base64DecodedUTF8 else { return "`crt` is not base64" }
        guard let keyPEM = pair.key.base64DecodedUTF8 else { return "`key` is not base64" }
        guard let cert = try? X509Certificate.parse(pem: certPEM) else { return "`crt` is not a PEM X.509 certificate" }
        guard let key = try? X509Key.parse(pem: keyPEM) else { return "`key` is not a PEM private key" }
        guard cert.matches(key) else { return "`key` does not match `crt`" }
        return nil
    }
}
