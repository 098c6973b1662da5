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
        } else if let pem = k8sServiceAccountKey.base64DecodedBytes {
            if !Self.isPrivateKey(pem) { problems.append("`certs.k8sserviceaccount.key` is not a valid PEM private key") }
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

    /// A problem with a CA's certificate and key, or nil. Talos' shapes (Ed25519 and P-256) are checked on
    /// their exact-type paths; anything else goes through OpenSSL's generic decoders. A pair found to match
    /// is remembered for the rest of the process, so the stages reading one bundle check it once.
    static func checkPair(_ pair: CertAndKey) -> String? {
        if pair.crt.isEmpty { return "`crt` is required" }
        if pair.key.isEmpty { return "`key` is required" }
        let digest = CheckedKeyPairs.key(certificate: pair.crt, key: pair.key)
        if CheckedKeyPairs.shared.contains(digest) { return nil }
        guard let certPEM = pair.crt.base64DecodedBytes else { return "`crt` is not base64" }
        guard let keyPEM = pair.key.base64DecodedBytes else { return "`key` is not base64" }
        guard let certBlock = PEMBlock.parseAll(certPEM).first(where: { $0.label == "CERTIFICATE" }) else {
            return "`crt` is not a PEM X.509 certificate"
        }
        let keyBlock = PEMBlock.parseAll(keyPEM).first { $0.label.hasSuffix("PRIVATE KEY") }
        if let keyBlock, let certificate = CertificateDER(certBlock.der), let key = PrivateKeyDER(label: keyBlock.label, der: keyBlock.der),
           let matches = KeyPairCheck.matches(certificate, key) {
            guard matches else { return "`key` does not match `crt`" }
            CheckedKeyPairs.shared.insert(digest)
            return nil
        }
        guard let cert = try? X509Certificate.parse(der: certBlock.der) else { return "`crt` is not a PEM X.509 certificate" }
        guard let keyBlock, let key = try? X509Key.parse(keyBlock) else { return "`key` is not a PEM private key" }
        guard cert.matches(key) else { return "`key` does not match `crt`" }
        CheckedKeyPairs.shared.insert(digest)
        return nil
    }

    /// Whether the PEM text holds a private key that parses (exact-type paths first, as in `checkPair`).
    static func isPrivateKey(_ pem: [UInt8]) -> Bool {
        guard let block = PEMBlock.parseAll(pem).first(where: { $0.label.hasSuffix("PRIVATE KEY") }) else { return false }
        if let key = PrivateKeyDER(label: block.label, der: block.der), KeyPairCheck.isConsistent(key) == true { return true }
        return (try? X509Key.parse(block)) != nil
    }
}
