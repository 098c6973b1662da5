import Foundation
import Testing
import TestSupport

/// `talos-batch validate --talconfig` (talhelper validate talconfig) and `--nodeconfig [--mode]`
/// (talhelper validate nodeconfig, talosctl validate): every problem at file:line:col, exit 1.
@Suite struct ValidateTalhelperEndToEndTests {
    static func run(_ arguments: [String], in directory: URL) throws -> ProcessResult {
        try runProcess(TestPaths.binary, ["validate"] + arguments, currentDirectory: directory)
    }

    @Test func talconfigProblemsAreListedWithPositions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "clusterName: c\ntalosVersion: v1.12.0\nkubernetesVersion: v1.34.0\nendpoint: https://c:6443\nnodes: []\n"
            .write(to: directory.url.appendingPathComponent("empty.yaml"), atomically: true, encoding: .utf8)
        let empty = try Self.run(["--talconfig", "empty.yaml"], in: directory.url)
        #expect(empty.status == 1)
        #expect(empty.stderrString == "empty.yaml:5:8: error: nodes: \"nodes\" is required to be not empty\n")

        try """
            clusterName: c
            talosVersion: v1.12.0
            kubernetesVersion: v1.34.0
            endpoint: https://c:6443
            nodes:
              - hostname: nöde
                ipAddress: 10.0.0.2
                installDisk: /dev/sda
                talosImageURL: ghcr.io/siderolabs/installer:v1.11.5
            """.write(to: directory.url.appendingPathComponent("talconfig.yaml"), atomically: true, encoding: .utf8)
        let bad = try Self.run(["--talconfig", "talconfig.yaml"], in: directory.url)
        #expect(bad.status == 1)
        #expect(bad.stderrString.contains("talconfig.yaml:6:15: error: nodes[0].hostname: \"nöde\" is not a valid hostname"))
        #expect(bad.stderrString.contains("talconfig.yaml:9:20: error: nodes[0].talosImageURL: should not contains version or digest"))
    }

    /// Files named by the talconfig are looked for beside it (not in the working directory), and talhelper's
    /// Kubernetes/Talos compatibility and extension catalogue apply; each problem at its position, warnings too.
    @Test func referencedFilesCompatibilityAndExtensions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cluster = directory.url.appendingPathComponent("cluster")
        try FileManager.default.createDirectory(at: cluster, withIntermediateDirectories: true)
        try "kind: Namespace\n".write(to: cluster.appendingPathComponent("ns.yaml"), atomically: true, encoding: .utf8)
        try """
            clusterName: c
            talosVersion: v1.9.0
            kubernetesVersion: v1.34.0
            endpoint: https://c:6443
            nodes:
              - hostname: n1
                ipAddress: 10.0.0.2
                installDisk: /dev/sda
                extraManifests: [ns.yaml, missing.yaml]
                schematic:
                  customization:
                    systemExtensions:
                      officialExtensions: [siderolabs/qemu-guest-agen]
            """.write(to: cluster.appendingPathComponent("talconfig.yaml"), atomically: true, encoding: .utf8)
        let result = try Self.run(["--talconfig", "cluster/talconfig.yaml"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.stderrString.contains(
            "cluster/talconfig.yaml:3:20: error: kubernetesVersion: version of Kubernetes 1.34.0 is too new to be used with Talos 1.9.0"))
        #expect(result.stderrString.contains(
            "cluster/talconfig.yaml:13:32: error: nodes[0].schematic: \"siderolabs/qemu-guest-agen\" is not a supported Talos extension for \"v1.9.0\" (did you mean \"siderolabs/qemu-guest-agent\"?)"))
        #expect(result.stderrString.contains(
            "cluster/talconfig.yaml:9:31: error: nodes[0].extraManifests[1]: \"stat missing.yaml: no such file or directory\""))
        #expect(!result.stderrString.contains("ns.yaml"))
    }

    @Test func nodeconfigChecksTypesAndMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "version: v1alpha1\nmachine:\n  type: worker\n  bogus: 1\n"
            .write(to: directory.url.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = try Self.run(["--nodeconfig", "bad.yaml"], in: directory.url)
        #expect(bad.status == 1)
        #expect(bad.stderrString == "bad.yaml:4:3: error: unknown field `bogus` in `machine`\n")

        let config = """
            version: v1alpha1
            machine:
              type: worker
              token: t
            cluster:
              controlPlane:
                endpoint: https://c:6443
            """
        try config.write(to: directory.url.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let metal = try Self.run(["--nodeconfig", "w.yaml"], in: directory.url)
        #expect(metal.status == 1)
        #expect(metal.stderrString.contains("w.yaml:3:3: error: install instructions are required in metal mode"))
        let cloud = try Self.run(["--nodeconfig", "w.yaml", "--mode", "cloud"], in: directory.url)
        #expect(cloud.status == 0, "\(cloud.stderrString)")
        #expect(cloud.stdoutString == "w.yaml is valid for cloud mode\n")
    }

    /// Talos's own generated configs with an install disk pass in metal mode (v1.14: its UnattendedInstallConfig).
    @Test(.enabled(if: TestPaths.sharedReferenceAvailable), arguments: ["v1.3", "v1.11", "v1.14"])
    func goldensAreValid(version: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = TestPaths.reference("talos-stability/\(version)-overrides-controlplane.yaml").path
        let result = try Self.run(["--nodeconfig", path, "--mode", "metal"], in: directory.url)
        #expect(result.status == 0, "\(result.stderrString)")
    }
}
