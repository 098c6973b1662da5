import Diagnostics
import Foundation
import Testing
import Talos

@Suite struct AppliedStateTests {
    static let digestA = String(repeating: "a", count: 64)
    static let digestB = String(repeating: "b", count: 64)

    @Test func recordsAndComparesPerNode() {
        var state = AppliedState()
        #expect(!state.isApplied(hostname: "cp1", sha256: Self.digestA))
        state.record(hostname: "cp1", file: "clusterconfig/home-cp1.yaml", sha256: Self.digestA)
        #expect(state.isApplied(hostname: "cp1", sha256: Self.digestA))
        #expect(!state.isApplied(hostname: "cp1", sha256: Self.digestB))
        #expect(!state.isApplied(hostname: "w1", sha256: Self.digestA))
    }

    @Test func encodesTheSameStateToTheSameBytesAndBack() throws {
        var first = AppliedState()
        first.record(hostname: "w1", file: "clusterconfig/home-w1.yaml", sha256: Self.digestB)
        first.record(hostname: "cp1", file: "clusterconfig/home-cp1.yaml", sha256: Self.digestA)
        var second = AppliedState()
        second.record(hostname: "cp1", file: "clusterconfig/home-cp1.yaml", sha256: Self.digestA)
        second.record(hostname: "w1", file: "clusterconfig/home-w1.yaml", sha256: Self.digestB)
        #expect(first.encoded() == second.encoded())
        let text = String(decoding: first.encoded(), as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.range(of: "\"cp1\"")!.lowerBound < text.range(of: "\"w1\"")!.lowerBound)
        #expect(text.contains("\"file\" : \"clusterconfig/home-cp1.yaml\""))
        #expect(try AppliedState.decode(first.encoded(), file: "x") == first)
    }

    @Test func forgetsRemovedNodes() {
        var state = AppliedState()
        state.record(hostname: "cp1", file: "a", sha256: Self.digestA)
        state.record(hostname: "old", file: "b", sha256: Self.digestB)
        state.keepOnly(hostnames: ["cp1", "new"])
        #expect(state.nodes.keys.sorted() == ["cp1"])
    }

    @Test func badFilesAreErrorsNamingTheFile() {
        for bytes in ["not json", "{\"version\": 2, \"nodes\": {}}", "{\"nodes\": []}"] {
            do {
                _ = try AppliedState.decode(Array(bytes.utf8), file: "cluster-1/.talos-batch-applied.json")
                Issue.record("\(bytes) was accepted")
            } catch let diagnostic as Diagnostic {
                #expect(diagnostic.description.hasPrefix("cluster-1/.talos-batch-applied.json:1:1: error: "), "\(diagnostic)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
