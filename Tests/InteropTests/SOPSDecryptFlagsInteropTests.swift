import Foundation
import Testing
import TestSupport

/// `talos-batch decrypt` against the real `sops -d` for every sops store (YAML, JSON, dotenv, INI,
/// binary) and sops' flags: --extract, --output, --input-type/--output-type and standard input. Every
/// file is encrypted by the real sops; every comparison is byte for byte.
@Suite struct SOPSDecryptFlagsInteropTests {
    typealias Fixture = SOPSInteropTests.Fixture

    static let plaintexts: [(name: String, text: String)] = [
        ("data.json", """
        {"a": 5, "b": 1.5, "c": [1, "x<y>&", true, null, {"d": {}}], "e": {"f": "g\\n\\u00e9\\t", "big": 12345678901234567890,
         "e": 1e21, "s": 1e-7, "neg": -0.0001}, "h": [], "k_unencrypted": 7, "quote": "say \\"hi\\" \\\\ /"}
        """),
        ("app.env", "# a comment\nA=1\nB=multi\\nline\nC=x=y\nEMPTY=\n#another\nD= spaced \n"),
        ("conf.ini", "; top comment\nglobal = 1\n[sec]\n# c1\nkey = value with spaces\nq = \"quoted;x\"\nmulti = a#b\nempty =\n[other]\nx=1\n"),
        ("blob.bin", "hello\u{0}binary\nno newline at the end"),
        ("doc.yaml", """
        # head
        a: 1
        b: 1.5
        c: [1, "x", true, null, {d: e}]
        e:
          f: "g\\n"
          nested:
            - x: 1
              y: [2, 3]
        big: 1e21
        s: hello <&>
        """ + "\n"),
        ("flat.yaml", """
        a: 1
        b: true
        c: 1.50
        d: null
        f: "multi\\nline"
        g: 2020-01-01
        t: 2001-12-14t21:59:43.10-05:00
        h: 0x1F
        j: ""
        k: "#x;y"
        l: " lead"
        """ + "\n"),
    ]

    func decryptBoth(_ fixture: Fixture, _ arguments: [String], stdin: Data? = nil) throws -> (ours: ProcessResult, sops: ProcessResult) {
        let env = fixture.environment(fixture.keyFiles[0])
        let sops = try runProcess(SOPSInteropTests.sops, ["decrypt"] + arguments, stdin: stdin, environment: env, currentDirectory: fixture.directory.url)
        let ours = try runProcess(TestPaths.binary, ["decrypt"] + arguments, stdin: stdin, environment: env, currentDirectory: fixture.directory.url)
        return (ours, sops)
    }

    @Test(arguments: 0..<plaintexts.count)
    func everyStoreDecryptsLikeSops(index: Int) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let (name, text) = Self.plaintexts[index]
        let encrypted = try fixture.encrypt(text, name: name)
        let (ours, sops) = try decryptBoth(fixture, [encrypted.path])
        #expect(sops.status == 0, "\(sops.stderrString)")
        #expect(ours.status == 0, "\(ours.stderrString)")
        #expect(ours.stdout == sops.stdout, "\(name): ours\n\(ours.stdoutString)\nsops\n\(sops.stdoutString)")
    }

    /// Every output type from a structured file: the same bytes as sops, or an error where sops has one.
    @Test(arguments: ["data.json", "doc.yaml", "flat.yaml", "app.env", "conf.ini"])
    func outputTypesConvertLikeSops(name: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let text = try #require(Self.plaintexts.first { $0.name == name }).text
        let encrypted = try fixture.encrypt(text, name: name)
        for type in ["yaml", "json", "dotenv", "ini", "binary"] {
            let (ours, sops) = try decryptBoth(fixture, ["--output-type", type, encrypted.path])
            #expect((ours.status == 0) == (sops.status == 0), "\(name) as \(type): sops \(sops.status) \(sops.stderrString), ours \(ours.stderrString)")
            if sops.status == 0 {
                #expect(ours.stdout == sops.stdout, "\(name) as \(type): ours\n\(ours.stdoutString)\nsops\n\(sops.stdoutString)")
            } else {
                #expect(ours.stdout.isEmpty)
            }
        }
    }

    @Test func extractPrintsScalarsAndSubtreesAsSops() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let paths = [#"["c"][1]"#, #"["c"]"#, #"["e"]"#, #"["a"]"#, #"["b"]"#, #"["c"][2]"#, #"["c"][3]"#, #"["e"]["f"]"#, #"["h"]"#]
        for name in ["data.json", "doc.yaml"] {
            let text = try #require(Self.plaintexts.first { $0.name == name }).text
            let encrypted = try fixture.encrypt(text, name: name)
            for path in paths + [#"["e"]["nested"]"#, #"["e"]["nested"][0]["y"]"#] {
                let (ours, sops) = try decryptBoth(fixture, ["--extract", path, encrypted.path])
                #expect((ours.status == 0) == (sops.status == 0), "\(name) \(path): \(ours.stderrString) / \(sops.stderrString)")
                #expect(ours.stdout == sops.stdout, "\(name) \(path): ours\n\(ours.stdoutString)\nsops\n\(sops.stdoutString)")
            }
            // A missing key is an error, and nothing is printed.
            let (missing, _) = try decryptBoth(fixture, ["--extract", #"["nope"]"#, encrypted.path])
            #expect(missing.status != 0 && missing.stdout.isEmpty && missing.stderrString.contains("nope"))
        }
    }

    @Test func outputFileIsPrivateAndStandardInputWorks() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let text = try #require(Self.plaintexts.first { $0.name == "data.json" }).text
        let encrypted = try fixture.encrypt(text, name: "data.json")
        let (_, sops) = try decryptBoth(fixture, [encrypted.path])
        let target = fixture.directory.url.appendingPathComponent("out/plain.json")
        let (written, _) = try decryptBoth(fixture, ["--output", target.path, encrypted.path])
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderrString)")
        #expect(try Data(contentsOf: target) == sops.stdout)
        let mode = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Standard input: /dev/stdin as sops reads it (types given, since the name says nothing), and `-`.
        let bytes = try Data(contentsOf: encrypted)
        let (viaDevice, sopsViaDevice) = try decryptBoth(fixture, ["--input-type", "json", "--output-type", "json", "/dev/stdin"], stdin: bytes)
        #expect(sopsViaDevice.status == 0 && viaDevice.status == 0, "\(viaDevice.stderrString)")
        #expect(viaDevice.stdout == sopsViaDevice.stdout)
        let dash = try runProcess(TestPaths.binary, ["decrypt", "--input-type", "json", "-"], stdin: bytes,
                                  environment: fixture.environment(fixture.keyFiles[0]), currentDirectory: fixture.directory.url)
        #expect(dash.status == 0 && dash.stdout == sops.stdout, "\(dash.stderrString)")
        // A bad type name is an error that names it.
        let bad = try runProcess(TestPaths.binary, ["decrypt", "--output-type", "toml", encrypted.path],
                                 environment: fixture.environment(fixture.keyFiles[0]), currentDirectory: fixture.directory.url)
        #expect(bad.status != 0 && bad.stderrString.contains("toml"))
    }
}

extension SOPSDecryptFlagsInteropTests {
    /// A binary file that is not UTF-8 (any byte value) comes back byte for byte.
    @Test func nonUTF8BinaryFilesComeBackExactly() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let bytes = Data(AgeInteropTests.payload(70_000))
        #expect(String(data: bytes, encoding: .utf8) == nil)
        let plain = fixture.directory.url.appendingPathComponent("image.png")
        try bytes.write(to: plain)
        let sealed = try runProcess(SOPSInteropTests.sops, ["encrypt", "--age", fixture.recipients[0], plain.path],
                                    currentDirectory: fixture.directory.url)
        #expect(sealed.status == 0, "\(sealed.stderrString)")
        let encrypted = fixture.directory.url.appendingPathComponent("image.png.enc")
        try sealed.stdout.write(to: encrypted)
        let (ours, sops) = try decryptBoth(fixture, [encrypted.path])
        #expect(sops.status == 0 && sops.stdout == bytes)
        #expect(ours.status == 0, "\(ours.stderrString)")
        #expect(ours.stdout == bytes)
    }
}
