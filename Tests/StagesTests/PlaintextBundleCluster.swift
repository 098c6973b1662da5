import Foundation
import Stages

/// A cluster folder under `root` whose secrets bundle is a plaintext `talsecret.yaml` (the file only marks
/// the name; tests pass the bundle's bytes as the stage input): a plaintext bundle is accepted under that
/// name only, never under `talsecret.sops.yaml`.
func plaintextBundleCluster(id: String, root: URL) throws -> ClusterContext {
    let folder = FleetLayout(root: root).clusterFolder(id)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data().write(to: folder.appendingPathComponent("talsecret.yaml"))
    return ClusterContext(id: id, fleet: FleetLayout(root: root))
}
