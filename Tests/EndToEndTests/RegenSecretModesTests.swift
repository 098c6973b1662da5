import Foundation
import Testing
import TestSupport

/// Secrets are secrets: every generated machine config and talosconfig is 0600 in a 0700 folder, whether
/// the folder is new, restored from the cache, or left from an earlier run with wider permissions.
@Suite struct RegenSecretModesTests {
    @Test func clusterConfigFoldersAre0700AndSecretFiles0600() throws {
        let fleet = try RegenFixture(outputFolder: "clusterconfig")
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        try checkModes(fleet)

        // Outputs deleted (fresh checkout) are restored into a 0700 folder too.
        for id in fleet.clusterIDs {
            try FileManager.default.removeItem(at: fleet.folder(id).appendingPathComponent("clusterconfig"))
        }
        #expect(try fleet.regen().status == 0)
        try checkModes(fleet)

        // A folder someone widened is narrowed again when its files are rewritten.
        let folder = fleet.folder(fleet.clusterIDs[0]).appendingPathComponent("clusterconfig")
        #expect(chmod(folder.path, 0o755) == 0)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("talosconfig"))
        #expect(try fleet.regen().status == 0)
        try checkModes(fleet)
    }

    private func checkModes(_ fleet: RegenFixture) throws {
        for id in fleet.clusterIDs {
            let folder = fleet.folder(id).appendingPathComponent("clusterconfig")
            #expect(try mode(folder.path) == 0o700, "cluster-\(id)/clusterconfig")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            let secrets = names.filter { $0.hasSuffix(".yaml") || $0 == "talosconfig" || $0 == ".gitignore" }
            #expect(secrets.contains("talosconfig") && secrets.contains(".gitignore"))
            #expect(secrets.count >= 2)
            for name in secrets {
                #expect(try mode(folder.appendingPathComponent(name).path) == 0o600, "cluster-\(id)/clusterconfig/\(name)")
            }
        }
    }

    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }
}
