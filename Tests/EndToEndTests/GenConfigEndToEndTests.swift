import Foundation
import Testing
import TestSupport

/// `talos-batch gen config` and `talos-batch genconfig` on temporary trees.
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct GenConfigEndToEndTests {
    static var stability: URL { TestPaths.sharedReference.appendingPathComponent("talos-stability") }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func genConfigReproducesTalosGoldens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.url.appendingPathComponent("out")
        let result = try runProcess(TestPaths.binary, [
            "gen", "config", "base", "https://base:6443",
            "--with-secrets", Self.stability.appendingPathComponent("secrets.yaml").path,
            "--talos-version", "v1.12", "--kubernetes-version", "1.28.0",
            "--additional-sans", "foo,bar", "--dns-domain", "example.com",
            "--install-disk", "/dev/vda", "--install-image", "",
            "--config-patch", "@" + Self.stability.appendingPathComponent("overrides-patch.yaml").path,
            "--output-dir", out.path,
        ])
        #expect(result.status == 0, "\(result.stderrString)")
        #expect(try Self.mode(out.appendingPathComponent("talosconfig").path) == 0o600)
        let worker = try String(contentsOf: out.appendingPathComponent("worker.yaml"), encoding: .utf8)
        let golden = try String(contentsOf: Self.stability.appendingPathComponent("v1.12-overrides-worker.yaml"), encoding: .utf8)
        // The golden also has sysctls, a mirror, a CNI and extra kernel args, which gen config has no flags for.
        #expect(worker.hasPrefix("version: v1alpha1\ndebug: false\npersist: true\nmachine:\n    type: worker\n"))
        #expect(worker.contains("    certSANs:\n        - foo\n        - bar\n"))
        #expect(worker.contains("            - destination: /var/opt\n"))
        #expect(golden.contains("            - destination: /var/opt\n"))
        #expect(!worker.contains("image: ghcr.io/siderolabs/installer"))
        #expect(try Self.mode(out.appendingPathComponent("worker.yaml").path) == 0o600)
        #expect(try Self.mode(out.path) == 0o700)
    }

    @Test func genConfigBaseMatchesGoldenByteForByte() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try runProcess(TestPaths.binary, [
            "gen", "config", "base", "https://base:6443",
            "--with-secrets", Self.stability.appendingPathComponent("secrets.yaml").path,
            "--talos-version", "v1.11", "--kubernetes-version", "1.28.0",
            "--install-disk", "", "--install-image", "", "-t", "controlplane", "-o", directory.url.appendingPathComponent("cp.yaml").path,
            "--with-docs=false", "--with-examples=false",
        ])
        #expect(result.status == 0, "\(result.stderrString)")
        // One output type: -o names the file, as in talosctl.
        let produced = try Data(contentsOf: directory.url.appendingPathComponent("cp.yaml"))
        let golden = try Data(contentsOf: Self.stability.appendingPathComponent("v1.11-base-controlplane.yaml"))
        #expect(produced == golden)
        #expect(result.stderrString == "Created \(directory.url.appendingPathComponent("cp.yaml").path)\n")
    }

    @Test func badPatchWritesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.url.appendingPathComponent("out")
        let patch = directory.url.appendingPathComponent("bad.yaml")
        try "machine:\n  kubelet:\n    nope: 1\n".write(to: patch, atomically: true, encoding: .utf8)
        let result = try runProcess(TestPaths.binary, [
            "gen", "config", "c", "https://c:6443", "--with-secrets", Self.stability.appendingPathComponent("secrets.yaml").path,
            "--config-patch-worker", "@" + patch.path, "-t", "controlplane,worker", "-o", out.path,
        ])
        #expect(result.status == 1)
        #expect(result.stderrString.contains("bad.yaml:3:5: error:"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    static let talconfig = """
        clusterName: lab
        talosVersion: v1.11.6
        kubernetesVersion: v1.31.1
        endpoint: https://10.1.0.10:6443
        nodes:
          - hostname: cp1
            ipAddress: 10.1.0.11
            controlPlane: true
            installDisk: /dev/sda
          - hostname: w1
            ipAddress: ${W1_IP}
            installDisk: /dev/sda
            patches:
              - "@patches/w1.yaml"

        """

    @Test func genconfigWritesNodeConfigsWithModes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("patches"), withIntermediateDirectories: true)
        try Self.talconfig.write(to: directory.url.appendingPathComponent("talconfig.yaml"), atomically: true, encoding: .utf8)
        try "W1_IP: 10.1.0.21\n".write(to: directory.url.appendingPathComponent("talenv.yaml"), atomically: true, encoding: .utf8)
        try "machine:\n  nodeLabels:\n    tier: ${TIER}\n".write(to: directory.url.appendingPathComponent("patches/w1.yaml"),
                                                               atomically: true, encoding: .utf8)
        let result = try runProcess(TestPaths.binary, [
            "genconfig", "-c", "talconfig.yaml", "-s", Self.stability.appendingPathComponent("secrets.yaml").path,
            "-o", "clusterconfig",
        ], environment: ["TIER": "gold"], currentDirectory: directory.url)
        #expect(result.status == 0, "\(result.stderrString)")
        let out = directory.url.appendingPathComponent("clusterconfig")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == [".gitignore", "lab-cp1.yaml", "lab-w1.yaml", "talosconfig"])
        #expect(try Self.mode(out.appendingPathComponent("lab-w1.yaml").path) == 0o600)
        #expect(try Self.mode(out.appendingPathComponent("talosconfig").path) == 0o600)
        let talosconfig = try String(contentsOf: out.appendingPathComponent("talosconfig"), encoding: .utf8)
        #expect(talosconfig.hasPrefix("context: lab\ncontexts:\n    lab:\n        endpoints:\n            - 10.1.0.11\n"))
        #expect(try String(contentsOf: out.appendingPathComponent(".gitignore"), encoding: .utf8)
            == "lab-cp1.yaml\nlab-w1.yaml\ntalosconfig\n")
        #expect(try Self.mode(out.path) == 0o700)
        let worker = try String(contentsOf: out.appendingPathComponent("lab-w1.yaml"), encoding: .utf8)
        #expect(worker.contains("  nodeLabels:\n    tier: gold\n"))
        #expect(worker.contains("    hostname: w1\n"))
    }

    @Test func genconfigUnsetVariableFailsWithPositionAndWritesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.talconfig.write(to: directory.url.appendingPathComponent("talconfig.yaml"), atomically: true, encoding: .utf8)
        let result = try runProcess(TestPaths.binary, [
            "genconfig", "-c", "talconfig.yaml", "-s", Self.stability.appendingPathComponent("secrets.yaml").path, "-o", "out",
        ], currentDirectory: directory.url)
        #expect(result.status == 1)
        #expect(result.stderrString.contains("talconfig.yaml:11:16: error: variable ${W1_IP} not set"))
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("out").path))
    }

    @Test func genconfigReadsSOPSEncryptedSecrets() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyFile = directory.url.appendingPathComponent("keys.txt")
        let keygen = try runProcess(URL(fileURLWithPath: "/usr/bin/age-keygen"), ["-o", keyFile.path])
        #expect(keygen.status == 0, "\(keygen.stderrString)")
        let keyText = try String(contentsOf: keyFile, encoding: .utf8)
        let recipient = try #require(keyText.split(separator: "\n").first { $0.hasPrefix("# public key: ") }?.dropFirst(14))
        let plain = directory.url.appendingPathComponent("talsecret.yaml")
        try FileManager.default.copyItem(at: Self.stability.appendingPathComponent("secrets.yaml"), to: plain)
        // Run sops away from the repository so its `.sops.yaml` creation rules do not apply.
        let encrypt = try runProcess(TestPaths.venvTool("sops"), ["--encrypt", "--age", String(recipient), plain.path],
                                     currentDirectory: directory.url)
        #expect(encrypt.status == 0, "\(encrypt.stderrString)")
        try encrypt.stdout.write(to: directory.url.appendingPathComponent("talsecret.sops.yaml"))
        try "clusterName: lab\nkubernetesVersion: v1.31.1\nendpoint: https://10.1.0.10:6443\ntalosVersion: v1.12.0\nnodes:\n  - hostname: cp1\n    ipAddress: 10.1.0.11\n    controlPlane: true\n    installDisk: /dev/sda\n"
            .write(to: directory.url.appendingPathComponent("talconfig.yaml"), atomically: true, encoding: .utf8)
        let result = try runProcess(TestPaths.binary, ["genconfig", "--no-talosconfig", "-o", "out"],
                                    environment: ["SOPS_AGE_KEY_FILE": keyFile.path], currentDirectory: directory.url)
        #expect(result.status == 0, "\(result.stderrString)")
        let cp = try String(contentsOf: directory.url.appendingPathComponent("out/lab-cp1.yaml"), encoding: .utf8)
        #expect(cp.contains("  token: d8cwfa.eyvpi0xwxyarbfid\n"))
    }
}
