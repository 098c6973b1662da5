import Cache
import Diagnostics
import Runner
import FoundationEssentials
import Glibc
import Secrets
import Stages
import Talos

/// A cluster's `AppliedState` on disk (`<cluster>/.talos-batch-applied.json`, 0600, replaced atomically)
/// and the digests it is compared with.
enum AppliedStateFile {
    static func path(_ cluster: ClusterContext) -> String {
        cluster.folderPath + "/" + AppliedState.fileName
    }

    /// The recorded state; an empty one when nothing was ever marked applied.
    static func load(_ cluster: ClusterContext) throws -> AppliedState {
        guard let data = try readInputFile(path(cluster)) else { return AppliedState() }
        return try AppliedState.decode(Array(data), file: cluster.displayPath(of: AppliedState.fileName))
    }

    static func save(_ state: AppliedState, for cluster: ClusterContext) throws {
        try AtomicFile.write(state.encoded(), to: path(cluster), mode: 0o600)
    }

    /// The hex SHA-256 of a node's config file as it is on disk now.
    static func configDigest(_ cluster: ClusterContext, file: String) throws -> String {
        let relative = cluster.fleet.outputFolder.file(file)
        let path = cluster.folderPath + "/" + relative
        guard FileManager.default.fileExists(atPath: path) else {
            throw Diagnostic.error("\(cluster.displayPath(of: relative)) does not exist; run `talos-batch regen \(cluster.id)` first")
        }
        do {
            return try Digest.ofFile(atPath: path).hex
        } catch {
            throw Diagnostic.error("\(cluster.displayPath(of: relative)): cannot read (\(ErrorMessage.text(error)))")
        }
    }
}
