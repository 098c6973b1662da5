import Foundation
import Secrets
import Testing
import TestSupport

/// `gensecret --age-recipient` output decrypts with the real sops, validates, and its certificates read
/// with `openssl x509` as Talos' own do.
@Suite struct GensecretInteropTests {
    @Test func sopsDecryptsGeneratedBundlesAndOpenSSLReadsTheCertificates() throws {
        let fixture = try SOPSInteropTests.Fixture()
        defer { fixture.directory.remove() }
        let output = fixture.directory.url.appendingPathComponent("secrets/talsecret.sops.yaml")
        let generated = try runProcess(TestPaths.binary, ["gensecret", "--talos-version", "v1.11",
                                                          "--age-recipient", fixture.recipients[0],
                                                          "--age-recipient", fixture.recipients[1], "-o", output.path])
        #expect(generated.status == 0, "\(generated.stderrString)")
        #expect(generated.stdout.isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: output.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let directoryAttributes = try FileManager.default.attributesOfItem(atPath: output.deletingLastPathComponent().path)
        #expect((directoryAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)

        // Real sops decrypts it with either key, and talos-batch prints the same text.
        let sopsPlain = try fixture.sopsDecrypt(output, keyFile: fixture.keyFiles[1])
        #expect(sopsPlain.status == 0, "\(sopsPlain.stderrString)")
        let ours = try fixture.ourDecrypt(output, keyFile: fixture.keyFiles[0])
        #expect(ours.stdoutString == sopsPlain.stdoutString)

        // The bundle loads (decrypting natively) and validates.
        let identities = try AgeKeyLocator.identities(environment: [:], extraKeyFiles: [fixture.keyFiles[0]])
        let bundle = try SecretsBundle.load(fileAt: output, identities: identities)

        let expectations: [(String, SecretsBundle.CertAndKey, String, String)] = [
            ("os", bundle.os, "ED25519", "O = talos"),
            ("etcd", bundle.etcd, "id-ecPublicKey", "O = etcd"),
            ("k8s", bundle.k8s, "id-ecPublicKey", "O = kubernetes"),
            ("k8saggregator", bundle.k8sAggregator, "id-ecPublicKey", "Subject: \n"),
        ]
        for (name, pair, algorithm, subject) in expectations {
            let pemURL = fixture.directory.url.appendingPathComponent("\(name).crt")
            try Data(Base64Decoding.decode(pair.crt).utf8).write(to: pemURL)
            let text = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), ["x509", "-in", pemURL.path, "-noout", "-text"])
            #expect(text.status == 0, "\(name): \(text.stderrString)")
            #expect(text.stdoutString.contains("Public Key Algorithm: \(algorithm)"), "\(name)")
            #expect(text.stdoutString.contains(subject), "\(name)")
            #expect(text.stdoutString.contains("CA:TRUE"), "\(name)")
            let dates = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), ["x509", "-in", pemURL.path, "-noout", "-startdate", "-enddate"])
            // notBefore=Nov 26 16:00:47 2026 GMT / notAfter=…: exactly 87600 hours apart, as Talos' CAs.
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
            let values = dates.stdoutString.split(separator: "\n").map { line in
                formatter.date(from: String(line.split(separator: "=", maxSplits: 1)[1]).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
            }
            let start = try #require(values.first ?? nil), end = try #require(values.last ?? nil)
            #expect(end.timeIntervalSince(start) == 87_600 * 3600, "\(name): \(dates.stdoutString)")
        }
        let keyURL = fixture.directory.url.appendingPathComponent("sa.key")
        try Data(Base64Decoding.decode(bundle.k8sServiceAccountKey).utf8).write(to: keyURL)
        let rsa = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), ["rsa", "-in", keyURL.path, "-noout", "-text"])
        #expect(rsa.stdoutString.contains("4096 bit"))

        // An admin client certificate issued from the OS CA verifies against it with openssl.
        let issued = try ClientCertificateIssuer.issue(caCertBase64PEM: bundle.os.crt, caKeyBase64PEM: bundle.os.key,
                                                       commonName: "", organizations: ["os:admin"],
                                                       notBefore: Date().addingTimeInterval(-60), validity: 86_400)
        let clientURL = fixture.directory.url.appendingPathComponent("client.crt")
        try Data(issued.certificatePEM.utf8).write(to: clientURL)
        let verify = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"),
                                    ["verify", "-CAfile", fixture.directory.url.appendingPathComponent("os.crt").path, "-purpose", "sslclient", clientURL.path])
        #expect(verify.status == 0, "\(verify.stdoutString)\(verify.stderrString)")
        let client = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), ["x509", "-in", clientURL.path, "-noout", "-subject"])
        #expect(client.stdoutString.contains("O = os:admin"))

        // gensecret never overwrites an existing secrets file.
        let again = try runProcess(TestPaths.binary, ["gensecret", "--age-recipient", fixture.recipients[0], "-o", output.path])
        #expect(again.status != 0)
        #expect(try SecretsBundle.load(fileAt: output, identities: identities) == bundle)
    }
}

/// Base64 of PEM, as talsecret files hold certificates.
enum Base64Decoding {
    static func decode(_ text: String) -> String {
        String(decoding: Data(base64Encoded: text) ?? Data(), as: UTF8.self)
    }
}

/// Without --age-recipient, `gensecret -o FILE` encrypts as `sops -e FILE` would under the nearest
/// `.sops.yaml`, and never writes plaintext into a SOPS-named file.
@Suite struct GensecretCreationRuleInteropTests {
    typealias Fixture = SOPSInteropTests.Fixture

    func gensecret(_ fixture: Fixture, _ output: String, in folder: URL? = nil) throws -> ProcessResult {
        try runProcess(TestPaths.binary, ["gensecret", "--talos-version", "v1.6", "-o", output],
                       environment: ["HOME": fixture.directory.path], currentDirectory: folder ?? fixture.directory.url)
    }

    /// The first matching rule wins; its `age:` may be a comma-separated string or a list.
    @Test func recipientsComeFromTheFirstMatchingCreationRule() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let config = """
            creation_rules:
              - path_regex: ^other/.*$
                age: \(fixture.recipients[1])
              - path_regex: clusters/.*\\.sops\\.yaml$
                age: "\(fixture.recipients[0]) , \(fixture.recipients[1])"
              - path_regex: lists/.*
                age:
                  - \(fixture.recipients[1])
            """
        try config.write(to: fixture.directory.url.appendingPathComponent(".sops.yaml"), atomically: true, encoding: .utf8)
        let sub = fixture.directory.url.appendingPathComponent("clusters")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        // Run from a sub-folder: the config is found upward, the path matched relative to its folder.
        let made = try gensecret(fixture, "c1/talsecret.sops.yaml", in: sub)
        #expect(made.status == 0, "\(made.stderrString)")
        let file = sub.appendingPathComponent("c1/talsecret.sops.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("recipient: \(fixture.recipients[0])") && text.contains("recipient: \(fixture.recipients[1])"))
        for key in fixture.keyFiles {
            let sops = try fixture.sopsDecrypt(file, keyFile: key)
            #expect(sops.status == 0, "\(sops.stderrString)")
            #expect(sops.stdoutString.contains("cluster:"))
        }
        let listed = try gensecret(fixture, "lists/a.sops.yaml")
        #expect(listed.status == 0, "\(listed.stderrString)")
        let listedText = try String(contentsOf: fixture.directory.url.appendingPathComponent("lists/a.sops.yaml"), encoding: .utf8)
        #expect(listedText.contains("recipient: \(fixture.recipients[1])") && !listedText.contains(fixture.recipients[0]))
        #expect(try fixture.sopsDecrypt(fixture.directory.url.appendingPathComponent("lists/a.sops.yaml"), keyFile: fixture.keyFiles[1]).status == 0)
    }

    /// Key groups split the data key; the real sops puts the shares back together.
    @Test func keyGroupsAreSplitAsSopsReadsThem() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let (thirdKey, third) = try AgeInteropTests.makeKey(in: fixture.directory, name: "three.txt")
        let groups = (fixture.recipients + [third.recipient]).map { "      - age: [\($0)]\n" }.joined()
        try "creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n\(groups)"
            .write(to: fixture.directory.url.appendingPathComponent(".sops.yaml"), atomically: true, encoding: .utf8)
        let made = try gensecret(fixture, "talsecret.sops.yaml")
        #expect(made.status == 0, "\(made.stderrString)")
        let file = fixture.directory.url.appendingPathComponent("talsecret.sops.yaml")
        let twoKeys = fixture.directory.url.appendingPathComponent("two.txt")
        try (String(contentsOf: fixture.keyFiles[1], encoding: .utf8) + String(contentsOf: thirdKey, encoding: .utf8))
            .write(to: twoKeys, atomically: true, encoding: .utf8)
        let sops = try fixture.sopsDecrypt(file, keyFile: twoKeys)
        #expect(sops.status == 0, "\(sops.stderrString)")
        let ours = try fixture.ourDecrypt(file, keyFile: twoKeys)
        #expect(ours.status == 0 && ours.stdout == sops.stdout, "\(ours.stderrString)")
        #expect(try fixture.sopsDecrypt(file, keyFile: fixture.keyFiles[0]).status != 0)   // one share is not enough
    }

    /// No recipients and no matching rule: a SOPS-named output is refused and nothing is written; any
    /// other name still gets a plain bundle.
    @Test func aSopsNameIsNeverWrittenInPlaintext() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let refused = try gensecret(fixture, "talsecret.sops.yaml")
        #expect(refused.status != 0)
        #expect(refused.stderrString.contains("refusing to write a plaintext secrets bundle"), "\(refused.stderrString)")
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.url.appendingPathComponent("talsecret.sops.yaml").path))
        try "creation_rules:\n  - path_regex: elsewhere/.*\n    age: \(fixture.recipients[0])\n"
            .write(to: fixture.directory.url.appendingPathComponent(".sops.yaml"), atomically: true, encoding: .utf8)
        let unmatched = try gensecret(fixture, "talsecret.sops.yaml")
        #expect(unmatched.status != 0 && unmatched.stderrString.contains("no creation rule"), "\(unmatched.stderrString)")
        let plain = try gensecret(fixture, "talsecret.yaml")
        #expect(plain.status == 0, "\(plain.stderrString)")
        let text = try String(contentsOf: fixture.directory.url.appendingPathComponent("talsecret.yaml"), encoding: .utf8)
        #expect(text.hasPrefix("cluster:") && !text.contains("sops:"))
    }
}
