import Foundation
import Testing
import TestSupport

/// Keys found as sops finds them (SOPS_AGE_KEY_CMD, SSH keys, Shamir key groups, a fleet's key files),
/// each file encrypted by the real sops and decrypted by `talos-batch decrypt` to exactly `sops -d`'s
/// output; keys it cannot use are errors that say so.
@Suite struct SOPSKeysInteropTests {
    typealias Fixture = SOPSInteropTests.Fixture
    static let plain = "user: admin\npassword: s3cr3t-value\nport: 8080\n"

    /// HOME is the fixture folder; no key variable is set unless given.
    func environment(_ fixture: Fixture, _ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": fixture.directory.path, "XDG_CONFIG_HOME": fixture.directory.url.appendingPathComponent("xdg").path]
            .merging(extra) { $1 }
    }

    func run(_ fixture: Fixture, _ tool: URL, _ arguments: [String], _ env: [String: String]) throws -> ProcessResult {
        // runProcess adds to the inherited environment: blank out the key variables a developer may have
        // (sops cannot take the command variables empty, so those must be unset where tests run).
        let blank = ["SOPS_AGE_KEY": "", "SOPS_AGE_KEY_FILE": "/dev/null"]
        return try runProcess(tool, arguments, environment: blank.merging(env) { $1 }, currentDirectory: fixture.directory.url)
    }

    func sshKeygen(_ fixture: Fixture, _ type: String, at relative: String, passphrase: String = "") throws -> String {
        let path = fixture.directory.url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        var arguments = ["-q", "-t", type, "-N", passphrase, "-C", "test", "-f", path.path]
        if type == "rsa" { arguments += ["-b", "2048"] }
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/ssh-keygen"), arguments)
        #expect(result.status == 0, "\(result.stderrString)")
        return try String(contentsOfFile: path.path + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
    }

    @Test func ageKeyCommandIsRunAndItsOutputRead() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let file = try fixture.encrypt(Self.plain, recipients: [fixture.recipients[1]])
        let env = environment(fixture, ["SOPS_AGE_KEY_CMD": "cat '\(fixture.keyFiles[1].path)'"])
        let sops = try run(fixture, SOPSInteropTests.sops, ["-d", file.path], env)
        let ours = try run(fixture, TestPaths.binary, ["decrypt", file.path], env)
        #expect(sops.status == 0 && ours.status == 0, "\(sops.stderrString) \(ours.stderrString)")
        #expect(ours.stdout == sops.stdout)
        let failing = try run(fixture, TestPaths.binary, ["decrypt", file.path], environment(fixture, ["SOPS_AGE_KEY_CMD": "false"]))
        #expect(failing.status != 0 && failing.stderrString.contains("SOPS_AGE_KEY_CMD"))
    }

    /// ~/.ssh/id_ed25519 found by default; an RSA key through SOPS_AGE_SSH_PRIVATE_KEY_FILE.
    @Test func sshKeysDecryptLikeSops() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let ed25519 = try sshKeygen(fixture, "ed25519", at: ".ssh/id_ed25519")
        let rsa = try sshKeygen(fixture, "rsa", at: "keys/rsa")
        for (recipient, extra) in [(ed25519, [String: String]()), (rsa, ["SOPS_AGE_SSH_PRIVATE_KEY_FILE": fixture.directory.url.appendingPathComponent("keys/rsa").path])] {
            let file = try fixture.encrypt(Self.plain, name: "ssh.yaml", recipients: [recipient])
            let env = environment(fixture, extra)
            let sops = try run(fixture, SOPSInteropTests.sops, ["-d", file.path], env)
            let ours = try run(fixture, TestPaths.binary, ["decrypt", file.path], env)
            #expect(sops.status == 0, "\(sops.stderrString)")
            #expect(ours.status == 0, "\(ours.stderrString)")
            #expect(ours.stdout == sops.stdout)
        }
    }

    @Test func aPassphraseProtectedSSHKeyIsNamedNotMissing() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let recipient = try sshKeygen(fixture, "ed25519", at: ".ssh/id_ed25519", passphrase: "letmein")
        let file = try fixture.encrypt(Self.plain, recipients: [recipient])
        let ours = try run(fixture, TestPaths.binary, ["decrypt", file.path], environment(fixture))
        #expect(ours.status != 0 && ours.stdout.isEmpty)
        #expect(ours.stderrString.contains("passphrase-protected SSH key, which is not supported"), "\(ours.stderrString)")
        #expect(!ours.stderrString.contains("no age identity found"))
        // With an age key that works as well, the unusable SSH key does not get in the way.
        let both = try fixture.encrypt(Self.plain, name: "both.yaml", recipients: [recipient, fixture.recipients[0]])
        let works = try run(fixture, TestPaths.binary, ["decrypt", both.path], environment(fixture, ["SOPS_AGE_KEY_FILE": fixture.keyFiles[0].path]))
        #expect(works.status == 0, "\(works.stderrString)")
    }

    /// Three key groups, any two of which rebuild the data key (sops' Shamir threshold).
    @Test func shamirKeyGroupsCombineLikeSops() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let (thirdKey, third) = try AgeInteropTests.makeKey(in: fixture.directory, name: "three.txt")
        let groups = (fixture.recipients + [third.recipient]).map { "      - age: [\($0)]\n" }.joined()
        try "creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n\(groups)"
            .write(to: fixture.directory.url.appendingPathComponent(".sops.yaml"), atomically: true, encoding: .utf8)
        for name in ["split.yaml", "split.json", "split.env"] {
            let plainURL = fixture.directory.url.appendingPathComponent("plain-" + name)
            let plain = name.hasSuffix(".json") ? #"{"a": "b", "n": 1}"# : name.hasSuffix(".env") ? "A=b\n" : Self.plain
            try plain.write(to: plainURL, atomically: true, encoding: .utf8)
            let sealed = try runProcess(SOPSInteropTests.sops, ["encrypt", plainURL.path], currentDirectory: fixture.directory.url)
            #expect(sealed.status == 0, "\(sealed.stderrString)")
            let file = fixture.directory.url.appendingPathComponent(name)
            try sealed.stdout.write(to: file)
            let twoKeys = fixture.directory.url.appendingPathComponent("two.txt")
            try (String(contentsOf: fixture.keyFiles[0], encoding: .utf8) + String(contentsOf: thirdKey, encoding: .utf8))
                .write(to: twoKeys, atomically: true, encoding: .utf8)
            let env = environment(fixture, ["SOPS_AGE_KEY_FILE": twoKeys.path])
            let sops = try run(fixture, SOPSInteropTests.sops, ["-d", file.path], env)
            let ours = try run(fixture, TestPaths.binary, ["decrypt", file.path], env)
            #expect(sops.status == 0 && ours.status == 0, "\(name): \(ours.stderrString)")
            #expect(ours.stdout == sops.stdout, "\(name)")
            let oneKey = try run(fixture, TestPaths.binary, ["decrypt", file.path], environment(fixture, ["SOPS_AGE_KEY_FILE": fixture.keyFiles[0].path]))
            #expect(oneKey.status != 0 && oneKey.stdout.isEmpty)
            #expect(oneKey.stderrString.contains("Shamir threshold 2") && oneKey.stderrString.contains("only 1"), "\(oneKey.stderrString)")
        }
    }

    /// A file whose only keys are PGP (or KMS, Vault…) says so; it never claims no key was found.
    @Test func otherKeyTypesAreNamedAsUnsupported() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let file = try fixture.encrypt(Self.plain, recipients: [fixture.recipients[0]])
        let text = try String(contentsOf: file, encoding: .utf8)
        let pgpOnly = text.replacingOccurrences(of: "\n    age:\n", with: "\n    pgp:\n")
        #expect(pgpOnly != text)
        try pgpOnly.write(to: file, atomically: true, encoding: .utf8)
        let ours = try run(fixture, TestPaths.binary, ["decrypt", file.path], environment(fixture, ["SOPS_AGE_KEY_FILE": fixture.keyFiles[0].path]))
        #expect(ours.status != 0 && ours.stdout.isEmpty)
        #expect(ours.stderrString.contains("encrypted for PGP only; talos-batch supports age and SSH keys"), "\(ours.stderrString)")
        #expect(!ours.stderrString.contains("no age identity found"))
    }

    /// Inside the example fleet, the key files talos-batch.yaml lists are used with nothing exported.
    @Test func theFleetsKeyFilesAreFound() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let root = TestPaths.packageRoot
        let secrets = "talos/clusters/cluster-101/talsecret.sops.yaml"
        let env = ["HOME": fixture.directory.path, "XDG_CONFIG_HOME": fixture.directory.path, "SOPS_AGE_KEY": "",
                   "SOPS_AGE_KEY_FILE": "/dev/null"]
        let ours = try runProcess(TestPaths.binary, ["decrypt", secrets], environment: env, currentDirectory: root)
        let sops = try runProcess(SOPSInteropTests.sops, ["-d", secrets],
                                  environment: env.merging(["SOPS_AGE_KEY_FILE": root.appendingPathComponent("talos/demo/age-key.txt").path]) { $1 },
                                  currentDirectory: root)
        #expect(sops.status == 0, "\(sops.stderrString)")
        #expect(ours.status == 0, "\(ours.stderrString)")
        #expect(ours.stdout == sops.stdout)
        // From a cluster folder too, and with the file named from outside the fleet.
        let nested = try runProcess(TestPaths.binary, ["decrypt", "talsecret.sops.yaml"], environment: env,
                                    currentDirectory: root.appendingPathComponent("talos/clusters/cluster-101"))
        #expect(nested.status == 0 && nested.stdout == sops.stdout, "\(nested.stderrString)")
        let outside = try runProcess(TestPaths.binary, ["decrypt", root.appendingPathComponent(secrets).path], environment: env,
                                     currentDirectory: fixture.directory.url)
        #expect(outside.status == 0 && outside.stdout == sops.stdout, "\(outside.stderrString)")
        // Other commands that read an encrypted file use the same keys.
        let generated = try runProcess(TestPaths.binary, ["gen", "config", "demo", "https://10.0.0.10:6443", "--with-secrets", secrets,
                                                          "-o", fixture.directory.url.appendingPathComponent("gen").path],
                                       environment: env, currentDirectory: root)
        #expect(generated.status == 0, "\(generated.stderrString)")
    }
}
