import Foundation
@testable import Secrets
import Testing
import TestSupport

/// OpenSSH private keys as age identities: parsed from ssh-keygen's own output, passphrase-protected
/// keys refused with a reason, and the stanza tag bound to the public key.
@Suite struct SSHKeyTests {
    func keygen(_ type: String, passphrase: String = "", format: String? = nil, in directory: TemporaryDirectory) throws -> (key: [UInt8], publicLine: String) {
        let path = directory.url.appendingPathComponent("key-\(type)-\(passphrase.isEmpty ? "plain" : "pw")-\(format ?? "openssh")").path
        var arguments = ["-q", "-t", type, "-N", passphrase, "-C", "test", "-f", path] + (format.map { ["-m", $0] } ?? [])
        if type == "rsa" { arguments += ["-b", "2048"] }
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/ssh-keygen"), arguments)
        #expect(result.status == 0, "\(result.stderrString)")
        return (Array(try Data(contentsOf: URL(fileURLWithPath: path))), try String(contentsOfFile: path + ".pub", encoding: .utf8))
    }

    @Test(arguments: ["ed25519", "rsa"])
    func parsesUnencryptedKeysAndNamesTheirRecipient(type: String) throws {
        let directory = try TemporaryDirectory(prefix: "ssh-keys")
        defer { directory.remove() }
        let (key, publicLine) = try keygen(type, in: directory)
        let identity = try SSHIdentity(try OpenSSHPrivateKey.parse(key))
        // The public line is "<type> <base64 blob> <comment>"; the identity's recipient is its first two words.
        #expect(publicLine.split(separator: " ").prefix(2).joined(separator: " ") == identity.recipient)
    }

    @Test func passphraseProtectedKeysAreRefused() throws {
        let directory = try TemporaryDirectory(prefix: "ssh-keys")
        defer { directory.remove() }
        let (key, _) = try keygen("ed25519", passphrase: "secret", in: directory)
        #expect(throws: OpenSSHPrivateKey.Failure.passphraseProtected) { try OpenSSHPrivateKey.parse(key) }
        let (pemKey, _) = try keygen("rsa", passphrase: "secret", format: "PEM", in: directory)
        #expect(throws: OpenSSHPrivateKey.Failure.passphraseProtected) { try OpenSSHPrivateKey.parse(pemKey) }
    }

    @Test func shellWordsSplitAsSopsSplitsKeyCommands() {
        #expect(KeyCommand.split(#"cat "my keys.txt" 'a b' c\ d"#) == ["cat", "my keys.txt", "a b", "c d"])
        #expect(KeyCommand.split("  ").isEmpty)
    }
}

extension SSHKeyTests {
    /// Files the real `age -R key.pub` encrypts open with the SSH private key, byte for byte.
    /// OpenSSH's own format, and the PEM formats older ssh-keygen wrote for RSA (PKCS#1, PKCS#8).
    @Test(arguments: [("ed25519", nil), ("rsa", nil), ("rsa", "PEM"), ("rsa", "PKCS8")] as [(String, String?)])
    func opensFilesAgeEncryptedForTheKey(type: String, format: String?) throws {
        let directory = try TemporaryDirectory(prefix: "ssh-age")
        defer { directory.remove() }
        let (key, publicLine) = try keygen(type, format: format, in: directory)
        let publicFile = directory.url.appendingPathComponent("recipient.pub")
        try publicLine.write(to: publicFile, atomically: true, encoding: .utf8)
        let plaintext = Data("secret \(type) payload\n".utf8)
        let sealed = try runProcess(URL(fileURLWithPath: "/usr/bin/age"), ["-R", publicFile.path], stdin: plaintext)
        #expect(sealed.status == 0, "\(sealed.stderrString)")
        let ssh = try SSHIdentity(try OpenSSHPrivateKey.parse(key))
        #expect(publicLine.split(separator: " ").prefix(2).joined(separator: " ") == ssh.recipient)
        let identity = AgeIdentity(ssh: ssh)
        #expect(try AgeFile.decrypt(Array(sealed.stdout), identities: [identity]) == Array(plaintext))
    }
}
