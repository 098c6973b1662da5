import Foundation
import Testing
import TestSupport

/// talhelper's own example/talconfig.yaml (shared corpus) generates as-is: SOPS-encrypted secrets and env,
/// `${VAR}`s, a SOPS-free patch file, Go-templated node labels and annotations, secure-boot schematics.
/// The node configs embed the example's secrets, so only their digests are kept here.
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct TalhelperExampleEndToEndTests {
    static let digests = [
        "home-cluster-kmaster1.yaml": "79cec5caa13235305ab08b33c5c7355503f09e86a9d0c8323d0aaa116d169e74",
        "home-cluster-kworker1.yaml": "6b0e3624a42d5f93c79ba56ecd49ea27a2d2a924f001a55e4458e0f321902e18",
        ".gitignore": "5bc247280404f7f1cfe83699196410e23b0aac0e7310cc6e1bfba19f8ccb5e39",
    ]

    @Test func exampleGeneratesAsIs() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let example = TestPaths.sharedCorpus.appendingPathComponent("talconfigs/budimanjojo+talhelper/example")
        let work = directory.url.appendingPathComponent("example")
        try FileManager.default.copyItem(at: example, to: work)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work.path)
        let result = try runProcess(TestPaths.binary, ["genconfig", "-c", "talconfig.yaml", "-s", "talsecret.yaml", "-o", "out"],
                                    environment: ["SOPS_AGE_KEY_FILE": work.appendingPathComponent("key.txt").path,
                                                  "HOME": directory.url.path],
                                    currentDirectory: work)
        #expect(result.status == 0, "\(result.stderrString)")
        let out = work.appendingPathComponent("out")
        let master = try String(contentsOf: out.appendingPathComponent("home-cluster-kmaster1.yaml"), encoding: .utf8)
        // The Go templates, rendered over the node's config as talhelper renders them.
        #expect(master.contains("    isSecureBootEnabled: \"true\"\n"))
        #expect(master.contains("    installerUrl: factory.talos.dev/metal-installer-secureboot/"))
        #expect(!master.contains("{{"))
        for (name, digest) in Self.digests {
            let sum = try runProcess(URL(fileURLWithPath: "/usr/bin/sha256sum"), [out.appendingPathComponent(name).path])
            #expect(sum.stdoutString.hasPrefix(digest + " "), "\(name)")
        }
    }
}
