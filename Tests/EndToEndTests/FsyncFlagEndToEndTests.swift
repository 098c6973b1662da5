import Foundation
import Testing
import TestSupport

/// `regen --fsync` (or TALOS_BATCH_FSYNC=1) syncs outputs before renaming them; the files are the same
/// as without it (docs/reliability.md, "Durability").
@Suite struct FsyncFlagEndToEndTests {
    @Test func theFlagAndTheVariableWriteTheSameFilesAsTheDefault() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let synced = try fleet.regen(["--all", "--fsync"])
        #expect(synced.status == 0, "\(synced.stderr)")
        let written = try fleet.outputs()
        #expect(!written.isEmpty)

        // A restore through the variable (outputs gone, cache kept), then one without either: same bytes.
        for (variable, expectedSync) in [("1", true), ("0", false)] {
            for relative in written.keys {
                try FileManager.default.removeItem(at: fleet.root.appendingPathComponent("talos/clusters/\(relative)"))
            }
            var environment = fleet.environment
            environment["TALOS_BATCH_FSYNC"] = variable
            let result = try runProcess(TestPaths.binary, ["regen", "--all", "--cache-dir", fleet.cacheDir.path, "--progress", "none"],
                                        environment: environment, currentDirectory: fleet.root)
            #expect(result.status == 0, "TALOS_BATCH_FSYNC=\(variable) (sync \(expectedSync)): \(result.stderrString)")
            #expect(result.stdoutString.contains("restored"), "\(result.stdoutString)")
            let restored = try fleet.outputs()
            #expect(restored.keys.sorted() == written.keys.sorted())
            for (relative, file) in written { #expect(restored[relative]?.0 == file.0, "\(relative)") }
        }

        let help = try fleet.run(["regen", "--help"])
        #expect(help.stdoutString.contains("--fsync") && help.stdoutString.contains("TALOS_BATCH_FSYNC"))
    }
}
