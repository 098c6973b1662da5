import COpenSSL
import Diagnostics
import Foundation
@testable import Secrets
import Testing
import TestSupport
import YAML

/// The exact-type paths (DER read directly, raw keys, fetched algorithms) give the verdicts OpenSSL's generic
/// decoders give, and the certificates they issue chain to their CA.
@Suite struct ExactTypeKeyPathTests {
    static func pair(_ pair: SecretsBundle.CertAndKey) throws -> (CertificateDER, PrivateKeyDER, X509Certificate, X509Key) {
        let certPEM = try #require(pair.crt.base64DecodedBytes), keyPEM = try #require(pair.key.base64DecodedBytes)
        let certBlock = try #require(PEMBlock.parseAll(certPEM).first)
        let keyBlock = try #require(PEMBlock.parseAll(keyPEM).first)
        return (try #require(CertificateDER(certBlock.der)), try #require(PrivateKeyDER(label: keyBlock.label, der: keyBlock.der)),
                try X509Certificate.parse(der: certBlock.der), try X509Key.parse(keyBlock))
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func keyPairVerdictsAgreeWithOpenSSL() throws {
        for bundle in [try SecretsBundleTests.reference(), try SecretsBundleGenerator.generate(talosVersion: "v1.6")] {
            let pairs = [bundle.etcd, bundle.k8s, bundle.k8sAggregator, bundle.os]
            for (i, certificatePair) in pairs.enumerated() {
                for (j, keyPair) in pairs.enumerated() {
                    let (certificate, _, cert, _) = try Self.pair(certificatePair)
                    let (_, key, _, opensslKey) = try Self.pair(keyPair)
                    let fast = KeyPairCheck.matches(certificate, key)
                    #expect(fast == cert.matches(opensslKey), "certificate \(i), key \(j)")
                    #expect(fast == (i == j))
                }
            }
            #expect(try Self.pair(bundle.os).0.keyType == .ed25519)
            #expect(try Self.pair(bundle.etcd).0.keyType == .p256)
        }
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func notAfterReadFromTheDERIsOpenSSLs() throws {
        let bundle = try SecretsBundleTests.reference()
        let generated = try SecretsBundleGenerator.generate(talosVersion: "v1.6", now: Date(timeIntervalSince1970: 1_800_000_123))
        for pair in [bundle.etcd, bundle.os, generated.k8s, generated.os] {
            let pem = try #require(pair.crt.base64DecodedUTF8)
            let der = try #require(PEMBlock.parseAll(pem).first).der
            let fromDER = try #require(CertificateDER(der)?.notAfter)
            #expect(Date(timeIntervalSince1970: TimeInterval(fromDER)) == (try X509Certificate.parse(pem: pem).notAfter))
        }
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func malformedDERIsLeftToTheGenericPath() throws {
        let bundle = try SecretsBundleTests.reference()
        let etcdPEM = try #require(bundle.etcd.crt.base64DecodedBytes)
        let der = try #require(PEMBlock.parseAll(etcdPEM).first).der
        #expect(CertificateDER(Array(der.dropLast())) == nil)
        #expect(CertificateDER(der + [0]) == nil)
        var truncated = bundle
        truncated.etcd.crt = PEMBlock(label: "CERTIFICATE", der: Array(der.prefix(200))).encoded.base64EncodedUTF8
        #expect(SecretsBundle.checkPair(truncated.etcd) == "`crt` is not a PEM X.509 certificate")
        // A SEC1 key whose embedded public point is not its own is not trusted by the fast path.
        let k8sKeyPEM = try #require(bundle.k8s.key.base64DecodedBytes)
        let keyBlock = try #require(PEMBlock.parseAll(k8sKeyPEM).first)
        guard case .p256(let scalar, _)? = PrivateKeyDER(label: keyBlock.label, der: keyBlock.der) else {
            Issue.record("not a P-256 key"); return
        }
        let (certificate, _, _, _) = try Self.pair(bundle.k8s)
        #expect(KeyPairCheck.matches(certificate, .p256(scalar: scalar, embeddedPublicKey: certificate.publicKey.dropLast())) == nil)
        #expect(KeyPairCheck.matches(certificate, .p256(scalar: scalar, embeddedPublicKey: nil)) == true)
    }

    @Test func serviceAccountKeysOfEveryTalosShapeParse() throws {
        for version in ["v1.6", "v1.12"] {
            let bundle = try SecretsBundleGenerator.generate(talosVersion: version)
            let pem = try #require(bundle.k8sServiceAccountKey.base64DecodedBytes)
            #expect(SecretsBundle.isPrivateKey(pem))
            let block = try #require(PEMBlock.parseAll(pem).first)
            #expect(KeyPairCheck.isConsistent(try #require(PrivateKeyDER(label: block.label, der: block.der))) == true)
        }
        #expect(!SecretsBundle.isPrivateKey(Array("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n".utf8)))
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func issuedCertificatesChainToTheCA() throws {
        for bundle in [try SecretsBundleTests.reference(), try SecretsBundleGenerator.generate(talosVersion: "v1.6")] {
            // Twice: the second issue takes the checked pair's path (no public key derivation).
            for _ in 0..<2 {
                let issued = try ClientCertificateIssuer.issue(caCertBase64PEM: bundle.os.crt, caKeyBase64PEM: bundle.os.key,
                                                               commonName: "admin", organizations: ["os:admin"],
                                                               notBefore: Date(), validity: 3600)
                let caPEM = try #require(bundle.os.crt.base64DecodedUTF8)
                let ca = try X509Certificate.parse(pem: caPEM)
                let cert = try X509Certificate.parse(pem: issued.certificatePEM)
                #expect(X509_check_issued(ca.pointer, cert.pointer) == X509_V_OK)
                #expect(X509_verify(cert.pointer, X509_get0_pubkey(ca.pointer)) == 1)
                #expect(cert.matches(try X509Key.parse(pem: issued.privateKeyPEM)))
            }
        }
    }

    @Test func hkdfAndHMACFollowRFC5869() throws {
        // RFC 5869 test case 1.
        let ikm = [UInt8](repeating: 0x0b, count: 22)
        let salt: [UInt8] = Array(0x00...0x0c)
        let info: [UInt8] = Array(0xf0...0xf9)
        let okm = try LibCrypto.hkdfSHA256(secret: ikm, salt: salt, info: info, length: 42)
        #expect(okm.map { String(format: "%02x", $0) }.joined()
            == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func bundlesDecryptStraightFromTheTree() throws {
        let identity = try AgeIdentity.generate()
        let recipient = try AgeRecipient.parse(identity.recipient)
        let bundle = try SecretsBundleTests.reference()
        let encrypted = Array(try SOPSFile.encrypt(bundle.encoded(), recipients: [recipient], now: Date()).utf8)
        #expect(SOPSFile.isEncrypted(encrypted))
        #expect(try SecretsBundle.decrypting(encrypted, file: "s.sops.yaml", identities: [identity]) == bundle)
        // The same as printing the plaintext and parsing it again.
        let text = try SOPSFile.decrypt(encrypted, file: "s.sops.yaml", identities: [identity])
        #expect(try SecretsBundle.parse(try YAML.parseDocument(text, file: "s"), file: "s") == bundle)
        // An unknown key is reported where it stands in the encrypted file.
        guard case .mapping(var pairs) = bundle.encoded().content else { Issue.record("not a mapping"); return }
        pairs.insert(YAMLPair("extra", .string("x")), at: 1)
        let withExtra = Array(try SOPSFile.encrypt(YAMLNode(.mapping(pairs)), recipients: [recipient], now: Date()).utf8)
        do {
            _ = try SecretsBundle.decrypting(withExtra, file: "s.sops.yaml", identities: [identity])
            Issue.record("unknown key accepted")
        } catch let error as Diagnostic {
            #expect(error.message.contains("extra"))
            #expect(error.location?.line == 4 && error.location?.column == 1)
        }
    }

    @Test func sopsFilesAreReadOnceUnlessSomethingIsWrong() throws {
        #expect(SOPSYAMLReader.isPlainBlockYAML(Array("a: ENC[AES256_GCM,data:x]\nb:\n    - c\n".utf8)))
        for odd in ["a: &x 1\nb: *x\n", "a: [1]\n", "a: {b: 1}\n", "a: !!str 1\n", "%YAML 1.2\n---\na: 1\n"] {
            #expect(!SOPSYAMLReader.isPlainBlockYAML(Array(odd.utf8)), "\(odd)")
        }
        // Errors are the YAML module's, as when it always parsed first.
        for bad in ["a: 1\nb: 2\na: 3\n", "a: 1\n b: 2\n", "a:\n    b: 1\n    b: 2\n"] {
            var expected: Diagnostic?
            do { _ = try YAML.parseStream(Array(bad.utf8), file: "f.yaml") } catch let error as Diagnostic { expected = error }
            do {
                _ = try SOPSYAMLReader.read(Array(bad.utf8), file: "f.yaml")
                Issue.record("accepted \(bad)")
            } catch let error as Diagnostic {
                #expect(error.message == expected?.message && error.location == expected?.location, "\(bad)")
            }
        }
    }

    @Test func encryptedFilesAreToldApartByTheirMetadata() {
        #expect(SOPSFile.isEncrypted(Array("a: 1\nsops:\n    age: []\n    mac: ENC[x]\n".utf8)))
        #expect(!SOPSFile.isEncrypted(Array("a: 1\nsops:\n    age: []\nb:\n    mac: 1\n".utf8)))
        #expect(!SOPSFile.isEncrypted(Array("sops: {}\nmac: x\n".utf8)))
    }
}
