import Foundation
import Testing
import TestSupport

/// The Taskfile users know (`task talos:gen-config -- <id>`), run by the real go-task on a copy of the
/// repository's example fleet, with `TALOS_BATCH_BIN` pointing scripts/talos-batch at the built binary.
@Suite struct TaskfileEndToEndTests {
    private func fleetWithTaskfile() throws -> RegenFixture {
        let fleet = try RegenFixture()
        for item in ["Taskfile.yml", "scripts"] {
            try FileManager.default.copyItem(at: TestPaths.packageRoot.appendingPathComponent(item),
                                             to: fleet.root.appendingPathComponent(item))
        }
        return fleet
    }

    private func task(_ arguments: [String], in fleet: RegenFixture) throws -> ProcessResult {
        try runProcess(TestPaths.venvTool("task"), arguments,
                       environment: ["TALOS_BATCH_BIN": TestPaths.binary.path,
                                     "TALOS_BATCH_CACHE_DIR": fleet.cacheDir.path],
                       currentDirectory: fleet.root)
    }

    @Test func genConfigWithoutAnIDPrintsTheUsage() throws {
        let fleet = try fleetWithTaskfile()
        defer { fleet.remove() }
        let result = try task(["talos:gen-config"], in: fleet)
        #expect(result.status == 0, "\(result.stderrString)")
        #expect(result.stdoutString.hasPrefix("usage: task talos:gen-config -- <id> [<id> ...]\n"), "\(result.stdoutString)")
        // Nothing ran: no cluster has outputs.
        #expect(try fleet.outputs().isEmpty)
    }

    @Test func genConfigRegeneratesExactlyTheNamedCluster() throws {
        let fleet = try fleetWithTaskfile()
        defer { fleet.remove() }
        let id = try #require(fleet.clusterIDs.first)
        let result = try task(["talos:gen-config", "--", id], in: fleet)
        #expect(result.status == 0, "\(result.stderrString)")
        let produced = Set(try fleet.outputs().keys.map { String($0.split(separator: "/")[0]) })
        #expect(produced == ["cluster-\(id)"])
    }
}
