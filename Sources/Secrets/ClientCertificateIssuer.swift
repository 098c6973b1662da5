import Diagnostics
import FoundationEssentials
import Glibc
import Hashing

/// Ed25519 client certificate signed by a CA given as base64-PEM cert/key (the bundle's `os` CA), as
/// Talos issues the admin certificate of a talosconfig.
public enum ClientCertificateIssuer {
    /// With `deterministic`, the client key and serial number are derived from the CA key, the names and
    /// `notBefore` instead of drawn at random (Ed25519 signatures are deterministic too): the same bundle
    /// and `notBefore` give byte-identical certificates in every process, so two runs issuing "at once"
    /// (separate caches on one tree, clusters sharing a bundle) cannot end up with different ones (issue
    /// 19). The derived key is as secret as the CA key it comes from, and whoever holds that can issue
    /// any certificate anyway.
    public static func issue(caCertBase64PEM: String, caKeyBase64PEM: String, commonName: String,
                             organizations: [String], notBefore: Date, validity: TimeInterval, deterministic: Bool = false)
        throws -> (certificatePEM: String, privateKeyPEM: String) {
        let (issuer, caKey) = try certificateAuthority(certificateBase64PEM: caCertBase64PEM, keyBase64PEM: caKeyBase64PEM)
        do {
            func make() throws -> (certificatePEM: String, privateKeyPEM: String) {
                let key = try X509Key.generate(.ed25519)
                let cert = try X509Certificate.create(profile: .client, organizations: organizations, commonName: commonName,
                                                      publicKeyOf: key, issuer: issuer, signingKey: caKey,
                                                      notBefore: notBefore, notAfter: notBefore.addingTimeInterval(validity))
                return (try cert.pem(), try key.pem())
            }
            guard deterministic else { return try make() }
            let seed = derivationSeed(caKeyBase64PEM: caKeyBase64PEM, commonName: commonName, organizations: organizations,
                                      notBefore: notBefore, validity: validity)
            return try SeededRandomStream.$current.withValue(SeededRandomStream(seed: seed)) { try make() }
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch {
            throw Diagnostic.error("issuing the client certificate failed: \(error)")
        }
    }

    /// SHA-256 over a domain label and, length-prefixed, the CA key and everything the certificate states:
    /// secret because the CA key is, and different for any other certificate.
    static func derivationSeed(caKeyBase64PEM: String, commonName: String, organizations: [String],
                               notBefore: Date, validity: TimeInterval) -> [UInt8] {
        var material = Array("talos-batch client certificate v1".utf8)
        func add(_ bytes: [UInt8]) { material.appendLengthPrefixed(bytes) }
        add(Array(caKeyBase64PEM.utf8))
        add(Array(commonName.utf8))
        for organization in organizations { add(Array(organization.utf8)) }
        add(Array(String(Int64(notBefore.timeIntervalSince1970.rounded(.down))).utf8))
        add(Array(String(Int64(validity)).utf8))
        return Digest.of(material).bytes
    }

    /// The CA as the issuer of a certificate and its signing key. A Talos OS CA (Ed25519) is read from its DER
    /// directly; other CAs go through OpenSSL's decoders. The key must belong to the certificate, which is
    /// checked once per process for each pair.
    static func certificateAuthority(certificateBase64PEM: String, keyBase64PEM: String) throws -> (X509Certificate.Issuer, X509Key) {
        guard let certificatePEM = certificateBase64PEM.base64DecodedBytes, let keyPEM = keyBase64PEM.base64DecodedBytes else {
            throw Diagnostic.error("the CA certificate or key is not base64-encoded PEM")
        }
        guard let certificateBlock = PEMBlock.parseAll(certificatePEM).first(where: { $0.label == "CERTIFICATE" }),
              let keyBlock = PEMBlock.parseAll(keyPEM).first(where: { $0.label.hasSuffix("PRIVATE KEY") }) else {
            throw Diagnostic.error("the CA certificate or key does not parse: no PEM CERTIFICATE or PRIVATE KEY block")
        }
        let pairDigest = CheckedKeyPairs.key(certificate: certificateBase64PEM, key: keyBase64PEM)
        let alreadyChecked = CheckedKeyPairs.shared.contains(pairDigest)
        if let certificate = CertificateDER(certificateBlock.der), certificate.keyType == .ed25519,
           case .ed25519(let seed)? = PrivateKeyDER(label: keyBlock.label, der: keyBlock.der),
           let key = alreadyChecked ? X509Key.ed25519(seed: seed, publicKey: certificate.publicKey) : X509Key.ed25519(seed: seed),
           alreadyChecked || key.ed25519PublicKey?[...] == certificate.publicKey {
            CheckedKeyPairs.shared.insert(pairDigest)
            return (X509Certificate.Issuer(subjectName: certificate.subjectName, keyIdentifier: certificate.subjectKeyIdentifier), key)
        }
        let caCert: X509Certificate, caKey: X509Key
        do {
            caCert = try X509Certificate.parse(der: certificateBlock.der)
            caKey = try X509Key.parse(keyBlock)
        } catch {
            throw Diagnostic.error("the CA certificate or key does not parse: \(error)")
        }
        guard caCert.matches(caKey) else { throw Diagnostic.error("the CA key does not match the CA certificate") }
        CheckedKeyPairs.shared.insert(pairDigest)
        do {
            return (try X509Certificate.Issuer(caCert), caKey)
        } catch {
            throw Diagnostic.error("the CA certificate does not parse: \(error)")
        }
    }

    /// The certificate's expiry (the cache reissues a talosconfig within 30 days of it).
    public static func notAfter(ofCertificatePEM pem: String) throws -> Date {
        // Read from the DER: the cache asks for every cluster's admin certificate.
        if let block = PEMBlock.parseAll(pem).first(where: { $0.label == "CERTIFICATE" }),
           let seconds = CertificateDER(block.der)?.notAfter {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        do {
            return try X509Certificate.parse(pem: pem).notAfter
        } catch {
            throw Diagnostic.error("cannot read the certificate's expiry: \(error)")
        }
    }
}
