import Foundation
import Stages
import Testing
import TestSupport
@testable import Runner

@Suite struct FleetTests {
    @Test func findsTheRootUpwardAndListsClustersInNumericOrder() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        for id in ["10", "9", "101", "lab"] {
            try FileManager.default.createDirectory(at: temp.url.appendingPathComponent("talos/clusters/cluster-\(id)"),
                                                    withIntermediateDirectories: true)
        }
        // Not clusters: a file and a folder without the prefix.
        _ = FileManager.default.createFile(atPath: temp.url.appendingPathComponent("talos/clusters/cluster-x.txt").path, contents: Data())
        try FileManager.default.createDirectory(at: temp.url.appendingPathComponent("talos/clusters/notes"), withIntermediateDirectories: true)
        let deep = temp.url.appendingPathComponent("talos/clusters/cluster-9/sub")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)

        let root = try #require(Fleet.locateRoot(from: deep))
        #expect(root.standardizedFileURL.path == temp.url.standardizedFileURL.path)
        let fleet = try Fleet(root: root)
        #expect(fleet.clusterIDs == ["9", "10", "101", "lab"])
        #expect(fleet.resolve("cluster-10") == "10")
        #expect(fleet.resolve("101") == "101")
        #expect(fleet.resolve("talos/clusters/cluster-9/") == "9")
        #expect(fleet.resolve("102") == nil)
        #expect(fleet.settings.ageKeyFiles.isEmpty)
    }

    @Test func readsTheProjectFile() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try FileManager.default.createDirectory(at: temp.url.appendingPathComponent("talos/clusters"), withIntermediateDirectories: true)
        try "ageKeyFiles:\n  - talos/demo/age-key.txt\n  - /abs/key.txt\n"
            .write(to: temp.url.appendingPathComponent("talos-batch.yaml"), atomically: true, encoding: .utf8)
        let fleet = try Fleet(root: temp.url)
        #expect(fleet.settings.ageKeyFiles.map(\.path) == [temp.url.appendingPathComponent("talos/demo/age-key.txt").standardizedFileURL.path, "/abs/key.txt"])
    }

    @Test func theRepositoryFleetHasTheExampleClusters() throws {
        let fleet = try Fleet(root: TestPaths.packageRoot)
        #expect(fleet.clusterIDs.count >= 3)
        #expect(fleet.settings.ageKeyFiles.count == 1)
    }
}
