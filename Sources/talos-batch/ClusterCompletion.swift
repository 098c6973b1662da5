import ArgumentParser
import FoundationEssentials
import Glibc
import Runner

/// Shell completion of cluster ids: the cluster-* folders of the nearest project (its clusters folder as
/// talos-batch.yaml places it), by id (101).
enum ClusterCompletion {
    static let kind = CompletionKind.custom { _, _, _ in ids() }

    static func ids(from directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> [String] {
        guard let root = Fleet.locateRoot(from: directory), let fleet = try? Fleet(root: root) else { return [] }
        return fleet.clusterIDs.sorted()
    }
}
