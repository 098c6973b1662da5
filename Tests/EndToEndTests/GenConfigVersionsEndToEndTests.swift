import Foundation
import Testing
import TestSupport

/// `talos-batch gen config` for every Talos release it knows (v1.3–v1.15), against Talos's stability goldens.
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct GenConfigVersionsEndToEndTests {
    static var stability: URL { TestPaths.sharedReference.appendingPathComponent("talos-stability") }

    /// The base goldens need no option talosctl's flags cannot express, so the binary must give their bytes.
    @Test(arguments: (3...15).map { "v1.\($0)" })
    func baseGoldensByteForByte(version: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try runProcess(TestPaths.binary, [
            "gen", "config", "base", "https://base:6443",
            "--with-secrets", Self.stability.appendingPathComponent("secrets.yaml").path,
            "--talos-version", version, "--kubernetes-version", "1.28.0",
            "--install-disk", "", "--install-image", "", "-o", directory.path,
        ])
        #expect(result.status == 0, "\(result.stderrString)")
        for type in ["controlplane", "worker"] {
            let produced = try Data(contentsOf: directory.url.appendingPathComponent("\(type).yaml"))
            let golden = try Data(contentsOf: Self.stability.appendingPathComponent("\(version)-base-\(type).yaml"))
            #expect(produced == golden, "\(version) \(type)")
        }
    }
}

/// A release newer than the newest known is refused by name, and nothing is written.
@Suite struct GenConfigUnknownVersionEndToEndTests {
    @Test func newerReleaseIsAClearErrorNamingTheNewest() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let out = directory.url.appendingPathComponent("out")
        let result = try runProcess(TestPaths.binary, [
            "gen", "config", "base", "https://base:6443", "--with-secrets", "/nonexistent/secrets.yaml",
            "--talos-version", "v1.16.0", "-o", out.path,
        ])
        #expect(result.status != 0)
        #expect(result.stderrString.contains("newer than v1.15, the newest supported"), "\(result.stderrString)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
