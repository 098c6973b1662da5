import Foundation
import Testing
import TestSupport

/// Real public talconfigs from the shared corpus that earlier releases of talos-batch refused.
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct CorpusTalconfigEndToEndTests {
    /// JJGadgets/homelab pins Talos v1.3.1. Its env file is encrypted to its owner's key, so the test gives
    /// the variables placeholder values (they only fill certificate and token fields it overrides).
    @Test func talconfigPinnedToV1_3Generates() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let work = directory.url.appendingPathComponent("talos")
        try FileManager.default.copyItem(at: TestPaths.sharedCorpus.appendingPathComponent("talconfigs/JJGadgets+homelab/talos"), to: work)
        // The corpus is read-only; the copy must take the test's env file and outputs.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work.path)
        try FileManager.default.removeItem(at: work.appendingPathComponent("talenv.sops.yaml"))
        let talconfig = try String(contentsOf: work.appendingPathComponent("talconfig.yaml"), encoding: .utf8)
        #expect(talconfig.contains("talosVersion: v1.3.1"))
        var names: Set<String> = []
        var rest = Substring(talconfig)
        while let start = rest.range(of: "${") {
            let tail = rest[start.upperBound...]
            let name = tail.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            names.insert(String(name))
            rest = tail
        }
        let env = names.sorted().map { "\($0): placeholder-\($0)" }.joined(separator: "\n") + "\n"
        try env.write(to: work.appendingPathComponent("talenv.yaml"), atomically: true, encoding: .utf8)
        let result = try runProcess(TestPaths.binary, [
            "genconfig", "-c", "talconfig.yaml", "-s", TestPaths.reference("talos-stability/secrets.yaml").path,
            "-o", "out", "--no-talosconfig",
        ], currentDirectory: work)
        #expect(result.status == 0, "\(result.stderrString)")
        let files = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("out").path)
        #expect(files.filter { $0.hasSuffix(".yaml") }.count == 9)
        let first = try #require(files.sorted().first { $0.hasSuffix(".yaml") })
        let text = try String(contentsOf: work.appendingPathComponent("out/\(first)"), encoding: .utf8)
        // v1.3's contract: no disk quota, KubePrism or host DNS features yet.
        #expect(!text.contains("diskQuotaSupport") && !text.contains("kubePrism") && !text.contains("hostDNS"))
    }
}
