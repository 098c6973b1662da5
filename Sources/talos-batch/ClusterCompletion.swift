import ArgumentParser
import Foundation
import Runner

/// Shell completion of cluster ids: the cluster-* folders of the nearest talos/clusters, by id (101).
enum ClusterCompletion {
    static let kind = CompletionKind.custom { _, _, _ in ids() }

    static func ids(from directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> [String] {
        guard let root = Fleet.locateRoot(from: directory),
              let names = try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("talos/clusters").path)
        else { return [] }
        return names.filter { $0.hasPrefix("cluster-") }.map { String($0.dropFirst("cluster-".count)) }.sorted()
    }
}
