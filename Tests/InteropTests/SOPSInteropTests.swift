import Foundation
import Secrets
import Testing
import TestSupport

/// Files encrypted by the real sops decrypt with `talos-batch decrypt` to exactly what `sops -d` prints;
/// damaged files and missing keys fail with a message, a non-zero exit and no output.
@Suite struct SOPSInteropTests {
    static let sops = TestPaths.venvTool("sops")

    /// A temp dir with two age-keygen keys; `sops` encrypts for the recipients asked for.
    struct Fixture {
        let directory: TemporaryDirectory
        let keyFiles: [URL]
        let recipients: [String]

        init() throws {
            directory = try TemporaryDirectory(prefix: "sops-interop")
            var files: [URL] = [], recipients: [String] = []
            for name in ["one.txt", "two.txt"] {
                let (file, identity) = try AgeInteropTests.makeKey(in: directory, name: name)
                files.append(file)
                recipients.append(identity.recipient)
            }
            keyFiles = files
            self.recipients = recipients
        }

        /// sops-encrypts `plain` (extra sops flags allowed) and returns the encrypted file's URL.
        func encrypt(_ plain: String, name: String = "file.yaml", flags: [String] = [], recipients: [String]? = nil) throws -> URL {
            let plainURL = directory.url.appendingPathComponent("plain-" + name)
            try plain.write(to: plainURL, atomically: true, encoding: .utf8)
            let ageList = (recipients ?? self.recipients).joined(separator: ",")
            var arguments = ["encrypt", "--age", ageList] + flags + [plainURL.path]
            if let rule = flags.first, rule.hasPrefix("rule:") {
                // Options only a .sops.yaml creation rule can set.
                let config = "creation_rules:\n  - age: \(ageList)\n" + rule.dropFirst(5).split(separator: ";").map { "    \($0)\n" }.joined()
                try config.write(to: directory.url.appendingPathComponent(".sops.yaml"), atomically: true, encoding: .utf8)
                arguments = ["encrypt", plainURL.path]
            }
            let result = try runProcess(SOPSInteropTests.sops, arguments, currentDirectory: directory.url)
            #expect(result.status == 0, "sops encrypt failed: \(result.stderrString)")
            let url = directory.url.appendingPathComponent(name)
            try result.stdout.write(to: url)
            return url
        }

        func sopsDecrypt(_ url: URL, keyFile: URL) throws -> ProcessResult {
            try runProcess(SOPSInteropTests.sops, ["-d", url.path], environment: environment(keyFile), currentDirectory: directory.url)
        }

        func ourDecrypt(_ url: URL, keyFile: URL?) throws -> ProcessResult {
            try runProcess(TestPaths.binary, ["decrypt", url.path], environment: environment(keyFile), currentDirectory: directory.url)
        }

        /// Only the given key file: HOME/XDG point at an empty directory so no user keys leak in.
        func environment(_ keyFile: URL?) -> [String: String] {
            var env = ["HOME": directory.path, "XDG_CONFIG_HOME": directory.url.appendingPathComponent("xdg").path, "SOPS_AGE_KEY": ""]
            if let keyFile { env["SOPS_AGE_KEY_FILE"] = keyFile.path } else { env["SOPS_AGE_KEY_FILE"] = directory.url.appendingPathComponent("none.txt").path }
            return env
        }
    }

    static let shapes: [(String, [String])] = [
        ("""
        # a head comment
        cluster:
          name: demo
          id: 12
          ratio: 1.5
          big: 1000000.0
          enabled: true
          off: false
          nested:
            deeper:
              value: "quoted: text"
              empty: ""
              nothing: null
        list:
          - one
          - 2
          # a comment in a list
          - key: v
            other: [1, 2]
          - - inner
            - list
        multiline: |
          line one
          line two
        special: ['yes', "012", " lead", "tab\\there", "2001-12-14", 'null', "#hash", "a: b"]
        # closing comment
        """, []),
        ("""
        public_unencrypted: visible
        secret: hidden
        group:
          token_unencrypted: 42
          password: p4ss
        """, ["--unencrypted-suffix", "_unencrypted"]),
        ("""
        data:
          username: admin
          password: secret
        stringData:
          note: hello
        kind: Secret
        """, ["--encrypted-regex", "^(data|stringData)$"]),
        ("""
        name: x
        value: y
        meta:
          name: z
        """, ["--unencrypted-regex", "^name$"]),
        ("""
        a_enc: one
        b: two
        """, ["rule:encrypted_suffix: _enc;mac_only_encrypted: true"]),
    ]

    @Test(arguments: 0..<shapes.count)
    func decryptsLikeSops(shape: Int) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let (plain, flags) = Self.shapes[shape]
        let encrypted = try fixture.encrypt(plain + "\n", flags: flags)
        for keyFile in fixture.keyFiles {   // either of the two recipients' keys works
            let expected = try fixture.sopsDecrypt(encrypted, keyFile: keyFile)
            #expect(expected.status == 0, "\(expected.stderrString)")
            let ours = try fixture.ourDecrypt(encrypted, keyFile: keyFile)
            #expect(ours.status == 0, "\(ours.stderrString)")
            #expect(ours.stdoutString == expected.stdoutString)
        }
        // The library entry point agrees with the CLI.
        let identities = try AgeKeyLocator.identities(environment: [:], extraKeyFiles: [fixture.keyFiles[0]])
        let text = try SOPSFile.decrypt(Array(try Data(contentsOf: encrypted)), file: "file.yaml", identities: identities)
        #expect(text == (try fixture.sopsDecrypt(encrypted, keyFile: fixture.keyFiles[0])).stdoutString)
        #expect(SOPSFile.isEncrypted(Array(try Data(contentsOf: encrypted))))
        #expect(!SOPSFile.isEncrypted(Array(plain.utf8)))
    }

    /// Each damaged input fails with a message containing `expected`, exit 1 and empty stdout.
    func expectFailure(_ fixture: Fixture, _ url: URL, keyFile: URL?, _ expected: String) throws {
        let result = try fixture.ourDecrypt(url, keyFile: keyFile)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrString.contains(expected), "stderr: \(result.stderrString)")
        #expect(!result.stderrString.contains("s3cr3t-value"))
    }

    @Test func damagedFilesAndMissingKeysAreErrors() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let url = try fixture.encrypt("password: s3cr3t-value\nuser: admin\nport: 8080\n", recipients: [fixture.recipients[0]])
        let text = try String(contentsOf: url, encoding: .utf8)
        func variant(_ name: String, _ transform: (String) -> String) throws -> URL {
            let out = fixture.directory.url.appendingPathComponent(name)
            let changed = transform(text)
            #expect(changed != text, "\(name) did not change the file")
            try changed.write(to: out, atomically: true, encoding: .utf8)
            return out
        }
        // A tampered value: flip the first character of its ciphertext.
        let tamperedValue = try variant("value.yaml") { text in
            var lines = text.components(separatedBy: "\n")
            let index = lines.firstIndex { $0.hasPrefix("password: ENC[AES256_GCM,data:") }!
            var chars = Array(lines[index])
            let position = "password: ENC[AES256_GCM,data:".count
            chars[position] = chars[position] == "A" ? "B" : "A"
            lines[index] = String(chars)
            return lines.joined(separator: "\n")
        }
        try expectFailure(fixture, tamperedValue, keyFile: fixture.keyFiles[0], "'password' cannot be decrypted")
        // A removed key: everything else decrypts, the MAC no longer matches.
        let removed = try variant("removed.yaml") { $0.components(separatedBy: "\n").filter { !$0.hasPrefix("user:") }.joined(separator: "\n") }
        try expectFailure(fixture, removed, keyFile: fixture.keyFiles[0], "MAC mismatch")
        // A tampered MAC.
        let tamperedMAC = try variant("mac.yaml") { $0.replacingOccurrences(of: "mac: ENC[AES256_GCM,data:", with: "mac: ENC[AES256_GCM,data:AAAA") }
        try expectFailure(fixture, tamperedMAC, keyFile: fixture.keyFiles[0], "sops MAC cannot be decrypted")
        // A truncated file.
        let truncated = try variant("truncated.yaml") { String($0.prefix($0.count / 2)) }
        try expectFailure(fixture, truncated, keyFile: fixture.keyFiles[0], "error")
        // The wrong key, and no key at all.
        try expectFailure(fixture, url, keyFile: fixture.keyFiles[1], "none of the 1 available age identities")
        try expectFailure(fixture, url, keyFile: nil, "cannot read age key file")
        let noKeys = try runProcess(TestPaths.binary, ["decrypt", url.path],
                                    environment: ["HOME": fixture.directory.path, "XDG_CONFIG_HOME": fixture.directory.path, "SOPS_AGE_KEY": ""]
                                        .merging(["SOPS_AGE_KEY_FILE": "/dev/null"]) { $1 }, currentDirectory: fixture.directory.url)
        #expect(noKeys.status != 0 && noKeys.stdout.isEmpty && noKeys.stderrString.contains("no age identity found"))
        // A key file whose Bech32 checksum is broken.
        let keyText = try String(contentsOf: fixture.keyFiles[0], encoding: .utf8)
        let badKey = fixture.directory.url.appendingPathComponent("bad.txt")
        let broken = keyText.components(separatedBy: "\n").map { line -> String in
            guard line.hasPrefix("AGE-SECRET-KEY-1") else { return line }
            var chars = Array(line)
            chars[20] = chars[20] == "Q" ? "P" : "Q"
            return String(chars)
        }.joined(separator: "\n")
        try broken.write(to: badKey, atomically: true, encoding: .utf8)
        try expectFailure(fixture, url, keyFile: badKey, "bad Bech32 checksum")
    }
}
