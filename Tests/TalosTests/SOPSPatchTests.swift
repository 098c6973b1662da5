import Foundation
import Testing
import Diagnostics
@testable import Talos
import Secrets
import TestSupport
import YAML

/// SOPS-encrypted `@file` patches, decrypted with the same age keys as talhelper's patcher finds them,
/// then substituted (talhelper's pkg/patcher: decrypt, template, envsubst, apply).
@Suite struct SOPSPatchTests {
    static let text = TalhelperFixtures.talconfig(extraNode: """
              - hostname: cp2
                ipAddress: 10.0.0.12
                controlPlane: true
                installDisk: /dev/sda
                patches:
                  - "@./patch.sops.yaml"
            """, interfaces: false, nodePatch: false)

    static func controlPlane(_ config: TalhelperConfig) throws -> YAMLNode {
        let generated = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        let file = try #require(generated.first { $0.name.hasSuffix("cp2.yaml") })
        return try #require(try YAML.parseStream(file.contents, file: file.name).first)
    }

    static func config(patch: [UInt8], environment: [String: String]) throws -> TalhelperConfig {
        var (config, _) = try TalhelperFixtures.load(text, environment: environment)
        config.baseDirectory = URL(fileURLWithPath: "/cluster")
        config.files = ["/cluster/patch.sops.yaml": patch]
        return config
    }

    /// talhelper's own encrypted test patch (pkg/patcher/testdata/encrypted.sops.yaml) with its published
    /// test key in SOPS_AGE_KEY and `foodotbar=foo.bar`, as its patcher test runs it: the decrypted patch says
    /// `hostname: ${foodotbar}`, so the hostname becomes `foo.bar` (decrypted, then substituted).
    @Test(.enabled(if: TestPaths.sharedReferenceAvailable))
    func talhelpersEncryptedPatchDecryptsWithTheEnvironmentKey() throws {
        let patch = try Data(contentsOf: TestPaths.reference("talhelper/patcher-testdata/pkg__patcher__testdata__encrypted.sops.yaml"))
        let keyFile = try String(contentsOf: TestPaths.sharedCorpus.appendingPathComponent("talconfigs/budimanjojo+talhelper/example/key.txt"),
                                 encoding: .utf8)
        let key = try #require(keyFile.split(separator: "\n").first { $0.hasPrefix("AGE-SECRET-KEY-") })
        let config = try Self.config(patch: Array(patch), environment: ["SOPS_AGE_KEY": String(key), "foodotbar": "foo.bar"])
        let document = try Self.controlPlane(config)
        #expect(document["machine"]?["network"]?.string("hostname") == "foo.bar")
    }

    /// Decrypted first, then `${VAR}`-substituted; the caller's identities are used.
    @Test func decryptedPatchIsSubstituted() throws {
        let identity = try AgeIdentity.generate()
        let plain = try YAML.parseDocument("machine:\n  network:\n    hostname: ${HOST}-node\n", file: "p.yaml")
        let encrypted = try SOPSFile.encrypt(plain, recipients: [AgeRecipient.parse(identity.recipient)],
                                                  now: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(encrypted.contains("ENC[AES256_GCM"))
        var config = try Self.config(patch: Array(encrypted.utf8), environment: ["HOST": "cp1a"])
        config.decryptionIdentities = { [identity] }
        #expect(try Self.controlPlane(config)["machine"]?["network"]?.string("hostname") == "cp1a-node")
    }

    /// Without the key the patch is an error at its place in the talconfig, never applied as `sops:` data.
    @Test func missingKeyIsAnErrorAtThePatch() throws {
        let identity = try AgeIdentity.generate()
        let plain = try YAML.parseDocument("machine:\n  network:\n    hostname: x\n", file: "p.yaml")
        let encrypted = try SOPSFile.encrypt(plain, recipients: [AgeRecipient.parse(identity.recipient)], now: Date())
        var config = try Self.config(patch: Array(encrypted.utf8), environment: [:])
        config.decryptionIdentities = { [] }
        let error = try #require(throws: Diagnostic.self) { try Self.controlPlane(config) }
        #expect(error.location?.file == "talconfig.yaml")
        #expect(error.message.contains("SOPS-encrypted patch"))
    }
}
