import Diagnostics
import Foundation
@testable import Secrets
import Testing
import TestSupport
import YAML

@Suite struct SecretsBundleTests {
    static var referenceURL: URL { TestPaths.sharedReference.appendingPathComponent("talos-stability/secrets.yaml") }

    static func reference() throws -> SecretsBundle {
        let node = try YAML.parseDocument(Array(try Data(contentsOf: referenceURL)), file: "secrets.yaml")
        return try SecretsBundle.parse(node, file: "secrets.yaml")
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func referenceBundleParsesValidatesAndRoundTrips() throws {
        let bundle = try Self.reference()
        try bundle.validate(file: "secrets.yaml")
        #expect(bundle.bootstrapToken == "inn7ol.u4ehnti8qyls9ymo")
        #expect(bundle.secretboxEncryptionSecret != nil && bundle.aescbcEncryptionSecret == nil)
        // Re-encoding gives Talos' own text (minus the file's leading comment line).
        let original = try String(contentsOf: Self.referenceURL, encoding: .utf8)
        let body = original.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("#") }.joined(separator: "\n")
        #expect(YAMLEmitter(indent: 4).emit(bundle.encoded()) == body)
        let loaded = try SecretsBundle.load(fileAt: Self.referenceURL, identities: [])
        #expect(loaded == bundle)
    }

    @Test func unknownKeysAreErrorsWithPositions() throws {
        let text = "cluster:\n    id: a\n    secret: b\n    sekret: c\n"
        do {
            _ = try SecretsBundle.parse(try YAML.parseDocument(text, file: "t.yaml"), file: "t.yaml")
            Issue.record("unknown key accepted")
        } catch let error as Diagnostic {
            #expect(error.location?.line == 4)
            #expect(error.location?.column == 5)
            #expect(error.message.contains("sekret"))
        }
        #expect(throws: Diagnostic.self) {
            _ = try SecretsBundle.parse(try YAML.parseDocument("certs:\n    os:\n        crt: x\n        cert: y\n", file: "t.yaml"), file: "t.yaml")
        }
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func validationNamesEachProblemWithoutSecrets() throws {
        var bundle = try Self.reference()
        bundle.bootstrapToken = "BAD.token-value-secret"
        bundle.aescbcEncryptionSecret = "c2VjcmV0"
        bundle.clusterID = ""
        bundle.k8s.key = bundle.etcd.key   // a key that belongs to another certificate
        do {
            try bundle.validate(file: "s.yaml")
            Issue.record("invalid bundle accepted")
        } catch let list as DiagnosticList {
            let text = list.description
            #expect(text.contains("`cluster.id` is required"))
            #expect(text.contains("`secrets.bootstraptoken` must match"))
            #expect(text.contains("only one of"))
            #expect(text.contains("`certs.k8s`: `key` does not match `crt`"))
            #expect(!text.contains("BAD.token-value-secret"))
        }
        var noEncryption = try Self.reference()
        noEncryption.secretboxEncryptionSecret = nil
        #expect(throws: Diagnostic.self) { try noEncryption.validate(file: "s.yaml") }
        var garbage = try Self.reference()
        garbage.os.crt = "bm90IGEgY2VydA=="
        #expect(throws: Diagnostic.self) { try garbage.validate(file: "s.yaml") }
    }

    @Test func missingSecretsFileIsAnError() throws {
        let url = URL(fileURLWithPath: "/nonexistent/talsecret.sops.yaml")
        do {
            _ = try SecretsBundle.load(fileAt: url, identities: [])
            Issue.record("missing file accepted")
        } catch let error as Diagnostic {
            #expect(error.message.contains("not found"))
        }
    }

    @Test func tokensFollowTheTalosShape() throws {
        for _ in 0..<50 { #expect(SecretsBundle.isToken(try SecretsBundleGenerator.token())) }
        #expect(!SecretsBundle.isToken("abcdef.0123456789abcdeF"))
        #expect(!SecretsBundle.isToken("abcde.0123456789abcdefg"))
        #expect(SecretsBundle.isToken("abcdef.0123456789abcdef"))
    }

    @Test func generatedBundlesValidateAndFollowTheVersion() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let modern = try SecretsBundleGenerator.generate(talosVersion: "v1.12", now: now)
        try modern.validate(file: "new")
        #expect(modern.k8sServiceAccountKey.base64DecodedUTF8?.hasPrefix("-----BEGIN RSA PRIVATE KEY-----") == true)
        #expect(modern.os.key.base64DecodedUTF8?.hasPrefix("-----BEGIN ED25519 PRIVATE KEY-----") == true)
        #expect(modern.clusterID.count == 44 && !modern.clusterID.contains("+") && !modern.clusterID.contains("/"))
        let notAfter = try ClientCertificateIssuer.notAfter(ofCertificatePEM: modern.etcd.crt.base64DecodedUTF8!)
        #expect(notAfter == now.addingTimeInterval(87_600 * 3600))
        let old = try SecretsBundleGenerator.generate(talosVersion: "1.6.4", now: now)
        try old.validate(file: "old")
        #expect(old.k8sServiceAccountKey.base64DecodedUTF8?.hasPrefix("-----BEGIN EC PRIVATE KEY-----") == true)
        let ancient = try SecretsBundleGenerator.generate(talosVersion: "v1.2", now: now)
        #expect(ancient.aescbcEncryptionSecret != nil && ancient.secretboxEncryptionSecret == nil)
        #expect(throws: Diagnostic.self) { _ = try SecretsBundleGenerator.generate(talosVersion: "latest") }
        #expect(modern != (try SecretsBundleGenerator.generate(talosVersion: "v1.12", now: now)))
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func clientCertificatesChainToTheOSCA() throws {
        let bundle = try Self.reference()
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        let issued = try ClientCertificateIssuer.issue(caCertBase64PEM: bundle.os.crt, caKeyBase64PEM: bundle.os.key,
                                                       commonName: "", organizations: ["os:admin"],
                                                       notBefore: start, validity: 365 * 86_400)
        #expect(issued.privateKeyPEM.hasPrefix("-----BEGIN ED25519 PRIVATE KEY-----"))
        #expect(try ClientCertificateIssuer.notAfter(ofCertificatePEM: issued.certificatePEM) == start.addingTimeInterval(365 * 86_400))
        let cert = try X509Certificate.parse(pem: issued.certificatePEM)
        #expect(cert.matches(try X509Key.parse(pem: issued.privateKeyPEM)))
        #expect(throws: Diagnostic.self) {
            _ = try ClientCertificateIssuer.issue(caCertBase64PEM: bundle.os.crt, caKeyBase64PEM: bundle.etcd.key, commonName: "x",
                                                  organizations: [], notBefore: start, validity: 60)
        }
    }
}
