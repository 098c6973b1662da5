import Secrets
import TestSupport
import Foundation
import Testing
@testable import Talos
import YAML

@Suite struct TalosconfigTests {
    @Test func layoutMatchesTalosClientConfig() throws {
        let (config, _) = try TalhelperFixtures.load(TalhelperFixtures.talconfig())
        let talosconfig = Talosconfig.forCluster(config, caBase64: "Q0E=", certificatePEM: "CERT\n", privateKeyPEM: "KEY\n")
        #expect(talosconfig.endpoints == ["10.0.0.11"])
        #expect(talosconfig.nodes == ["10.0.0.11", "10.0.0.21", "10.0.0.22"])
        #expect(talosconfig.encoded() == """
            context: home
            contexts:
                home:
                    endpoints:
                        - 10.0.0.11
                    nodes:
                        - 10.0.0.11
                        - 10.0.0.21
                        - 10.0.0.22
                    ca: Q0E=
                    crt: Q0VSVAo=
                    key: S0VZCg==

            """)
    }

    @Test func emptyEndpointsAreWrittenAsAnEmptyList() {
        let talosconfig = Talosconfig(context: "c", endpoints: [], nodes: [], caBase64: "Q0E=", certificatePEM: "C", privateKeyPEM: "K")
        #expect(talosconfig.encoded().contains("        endpoints: []\n"))
        #expect(!talosconfig.encoded().contains("nodes"))
    }
}

@Suite struct TalosconfigCertificateTests {
    @Test func adminCertificateIsSignedByTheOSCA() throws {
        let (config, _) = try TalhelperFixtures.load(TalhelperFixtures.talconfig())
        let secrets = try TestSecrets.generated()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let file = try TalhelperGenerator.generateTalosconfig(config, secrets: secrets, now: now)
        #expect(file.name == "talosconfig" && file.mode == 0o600)
        let root = try YAML.parseDocument(file.contents, file: "talosconfig")
        #expect(root.string("context") == "home")
        let context = try #require(root["contexts"]?["home"])
        #expect(context["endpoints"]?.sequenceItems?.compactMap(\.scalar?.text) == ["10.0.0.11"])
        #expect(context.string("ca") == secrets.os.crt)
        let certificateData = try #require(Data(base64Encoded: context.string("crt") ?? ""))
        let keyData = try #require(Data(base64Encoded: context.string("key") ?? ""))
        let certificatePEM = String(decoding: certificateData, as: UTF8.self)
        let keyPEM = String(decoding: keyData, as: UTF8.self)
        #expect(keyPEM.contains("PRIVATE KEY"))
        #expect(try ClientCertificateIssuer.notAfter(ofCertificatePEM: certificatePEM) == now.addingTimeInterval(365 * 24 * 3600))

        // Cross-check with openssl: subject O=os:admin, client auth, Ed25519, verifies against the OS CA.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let certFile = directory.url.appendingPathComponent("admin.crt")
        let caFile = directory.url.appendingPathComponent("ca.crt")
        try certificatePEM.write(to: certFile, atomically: true, encoding: .utf8)
        try Data(base64Encoded: secrets.os.crt)!.write(to: caFile)
        let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
        let text = try runProcess(openssl, ["x509", "-in", certFile.path, "-noout", "-text"]).stdoutString
        #expect(text.contains("O=os:admin") || text.contains("O = os:admin"))
        #expect(text.contains("TLS Web Client Authentication"))
        #expect(text.contains("ED25519"))
        let verify = try runProcess(openssl, ["verify", "-attime", "1800000100", "-CAfile", caFile.path, certFile.path])
        #expect(verify.status == 0, "\(verify.stdoutString)\(verify.stderrString)")
    }
}
