import Cache
import Diagnostics
import Foundation
import Stages
import Testing
import TestSupport
@testable import Runner

/// The runner's decisions with two small stages over a throwaway fleet:
/// `first` copies talenv.yaml without its comment lines, `second` counts first's lines.
@Suite struct RegenRunnerTests {
    struct StripComments: Stage {
        var name: String { "first" }
        var version: String { "1" }
        var upstream: [String] { [] }
        func plan(for cluster: ClusterContext) -> StagePlan {
            StagePlan(inputs: [StageInput(name: "talenv.yaml", source: .file(path: cluster.talenv.path))])
        }
        func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
            let text = String(decoding: try inputs.bytes("talenv.yaml"), as: UTF8.self)
            if text.contains("fail") {
                throw DiagnosticList([.error("asked to fail", at: SourceLocation(file: "talenv.yaml", line: 1, column: 1))])
            }
            let kept = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
            return StageResult(outputs: [GeneratedOutput(path: "first.txt", contents: Array(kept.utf8))])
        }
    }

    struct CountLines: Stage {
        var name: String { "second" }
        var version: String { "1" }
        var upstream: [String] { ["first"] }
        func plan(for cluster: ClusterContext) -> StagePlan {
            StagePlan(inputs: [StageInput(name: "first.txt", source: .upstream(stage: "first", output: "first.txt"))])
        }
        func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
            let lines = try inputs.bytes("first.txt").split(separator: UInt8(ascii: "\n")).count
            return StageResult(outputs: [GeneratedOutput(path: "out/second.txt", contents: Array("\(lines)\n".utf8), mode: 0o600)])
        }
    }

    struct Fixture {
        let temp: TemporaryDirectory
        let fleet: Fleet
        let cache: CacheDirectory
        /// The run's and the file-state cache's "now"; tests advance it instead of sleeping.
        let clock = AheadClock()

        init(clusters: Int = 3) throws {
            temp = try TemporaryDirectory()
            for id in 1...clusters {
                let folder = temp.url.appendingPathComponent("talos/clusters/cluster-\(id)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try "# cluster \(id)\na: \(id)\nb: \(id)\n".write(to: folder.appendingPathComponent("talenv.yaml"), atomically: true, encoding: .utf8)
            }
            fleet = try Fleet(root: temp.url)
            cache = try CacheDirectory(url: temp.url.appendingPathComponent("cache"), clock: clock)
        }

        func regen(jobs: Int = 2, force: Bool = false, failFast: Bool = false,
                   fileSystem: any FileSystem = SystemFileSystem(), recordChunk: Int = 20_000,
                   syncsOutputs: Bool = false) -> RegenReport {
            var options = RegenOptions(jobs: jobs, force: force, failFast: failFast, toolVersion: "test", environment: [:])
            options.clock = clock
            options.syncsOutputs = syncsOutputs
            options.fileSystem = fileSystem
            options.recordChunk = recordChunk
            return RegenRunner(fleet: fleet, cache: cache, stages: [StripComments(), CountLines()], options: options)
                .run(clusters: fleet.clusterIDs)
        }

        func path(_ id: Int, _ name: String) -> String {
            temp.url.appendingPathComponent("talos/clusters/cluster-\(id)/\(name)").path
        }

        /// Sets a file's mtime to a fixed past time and returns it.
        func backdate(_ id: Int, _ name: String) throws -> Date {
            let past = Date(timeIntervalSince1970: 1_000_000_000)
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path(id, name))
            return try mtime(id, name)
        }

        func mtime(_ id: Int, _ name: String) throws -> Date {
            try FileManager.default.attributesOfItem(atPath: path(id, name))[.modificationDate] as! Date
        }

        func statuses(_ report: RegenReport) -> [String: StageStatus] {
            var result: [String: StageStatus] = [:]
            for cluster in report.clusters {
                for stage in cluster.stages { result["\(cluster.cluster)/\(stage.stage)"] = stage.status }
            }
            return result
        }
    }

    @Test func runsThenSkipsWithoutRewriting() throws {
        let f = try Fixture()
        defer { f.temp.remove() }
        let first = f.regen()
        #expect(first.succeeded)
        #expect(first.count(.ran) == 6)
        #expect(try String(contentsOfFile: f.path(2, "out/second.txt"), encoding: .utf8) == "2\n")
        let secretMode = try FileManager.default.attributesOfItem(atPath: f.path(2, "out/second.txt"))[.posixPermissions] as? Int
        #expect(secretMode == 0o600)
        let folderMode = try FileManager.default.attributesOfItem(atPath: f.path(2, "out"))[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
        // A known, old mtime (no sleep): a rewrite would move it.
        let before = try f.backdate(1, "first.txt")
        let second = f.regen()
        #expect(second.count(.fresh) == 6)
        #expect(try f.mtime(1, "first.txt") == before)
    }

    @Test("records committed in chunks during the run are all stored, with their blobs", arguments: [1, 3])
    func recordsCommittedInChunks(chunk: Int) throws {
        let f = try Fixture(clusters: 7)
        defer { f.temp.remove() }
        let first = f.regen(recordChunk: chunk)
        #expect(first.succeeded)
        #expect(first.count(.ran) == 14)
        // Another process's view: every record is in the database and names blobs a pack index holds.
        let other = try CacheDirectory(url: f.cache.url, warn: CacheWarning.ignore)
        #expect(try other.actions.statistics().records == 14)
        #expect(try CacheVerifier.verify(other).isClean)
        // Outputs gone: every stage is restored from those records and blobs, byte for byte.
        let expected = try (1...7).map { try Data(contentsOf: URL(fileURLWithPath: f.path($0, "out/second.txt"))) }
        for id in 1...7 {
            try FileManager.default.removeItem(atPath: f.path(id, "first.txt"))
            try FileManager.default.removeItem(atPath: f.path(id, "out/second.txt"))
        }
        let restored = f.regen(recordChunk: chunk)
        #expect(restored.succeeded)
        #expect(restored.count(.ran) == 0)
        #expect(try (1...7).map { try Data(contentsOf: URL(fileURLWithPath: f.path($0, "out/second.txt"))) } == expected)
    }

    @Test func aFullDiskFailsTheClusterAndKeepsItsPreviousOutputs() throws {
        let f = try Fixture(clusters: 2)
        defer { f.temp.remove() }
        _ = f.regen()
        try "# cluster 1\na: 1\nb: 1\nc: 1\n".write(toFile: f.path(1, "talenv.yaml"), atomically: true, encoding: .utf8)
        // Every write runs out of space after 2 bytes (after short writes and an EINTR).
        let full = AtomicFileTests.FaultyFileSystem(chunk: 1, interruptions: 1, failAfter: 2)
        let failed = f.regen(fileSystem: full)
        #expect(failed.clusters.first { $0.cluster == "1" }?.failed == true)
        #expect(failed.clusters.first { $0.cluster == "1" }?.diagnostics.first?.description.contains("No space left") == true)
        #expect(try String(contentsOfFile: f.path(1, "first.txt"), encoding: .utf8) == "a: 1\nb: 1")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.temp.url.appendingPathComponent("talos/clusters/cluster-1").path)
            .filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        // With room again the edit lands.
        let again = f.regen()
        #expect(again.succeeded)
        #expect(try String(contentsOfFile: f.path(1, "first.txt"), encoding: .utf8) == "a: 1\nb: 1\nc: 1")
    }

    @Test func earlyCutoffWhenTheUpstreamOutputIsUnchanged() throws {
        let f = try Fixture()
        defer { f.temp.remove() }
        _ = f.regen()
        try "# another comment\na: 1\nb: 1\n".write(toFile: f.path(1, "talenv.yaml"), atomically: true, encoding: .utf8)
        let report = f.regen()
        let statuses = f.statuses(report)
        #expect(statuses["1/first"] == .ran)
        #expect(statuses["1/second"] == .fresh)
        #expect(statuses["2/first"] == .fresh)
        #expect(report.clusters[0].stages[0].changedInputs == ["talenv.yaml"])
    }

    @Test func restoresMissingOrAlteredOutputsWithoutRunning() throws {
        let f = try Fixture()
        defer { f.temp.remove() }
        _ = f.regen()
        try FileManager.default.removeItem(atPath: f.path(1, "out/second.txt"))
        try "x".write(toFile: f.path(3, "first.txt"), atomically: true, encoding: .utf8)
        chmod(f.path(2, "first.txt"), 0o666)
        let report = f.regen()
        let statuses = f.statuses(report)
        #expect(statuses["1/second"] == .restored)
        #expect(statuses["3/first"] == .restored)
        #expect(statuses["2/first"] == .restored)
        #expect(report.count(.ran) == 0)
        #expect(try String(contentsOfFile: f.path(1, "out/second.txt"), encoding: .utf8) == "2\n")
        #expect(try String(contentsOfFile: f.path(3, "first.txt"), encoding: .utf8) == "a: 3\nb: 3")
        #expect(f.regen().count(.fresh) == 6)
    }

    @Test func aFailedClusterKeepsItsOutputsAndOthersGoOn() throws {
        let f = try Fixture()
        defer { f.temp.remove() }
        _ = f.regen()
        let before = try String(contentsOfFile: f.path(2, "first.txt"), encoding: .utf8)
        try "fail\n".write(toFile: f.path(2, "talenv.yaml"), atomically: true, encoding: .utf8)
        try "a: 9\n".write(toFile: f.path(3, "talenv.yaml"), atomically: true, encoding: .utf8)
        let report = f.regen()
        #expect(!report.succeeded)
        #expect(report.failedClusters.map(\.cluster) == ["2"])
        let statuses = f.statuses(report)
        #expect(statuses["2/first"] == .failed)
        #expect(statuses["2/second"] == .skipped)
        #expect(statuses["3/first"] == .ran)
        #expect(try String(contentsOfFile: f.path(2, "first.txt"), encoding: .utf8) == before)
        #expect(report.diagnostics.map(\.description) == ["talenv.yaml:1:1: error: asked to fail"])
    }

    @Test func forceRunsEverythingButRewritesNothingUnchanged() throws {
        let f = try Fixture()
        defer { f.temp.remove() }
        _ = f.regen()
        let before = try f.backdate(1, "out/second.txt")
        let report = f.regen(force: true)
        #expect(report.count(.ran) == 6)
        #expect(try f.mtime(1, "out/second.txt") == before)
    }

    @Test func theReportAndTraceAreJSON() throws {
        let f = try Fixture()
        defer { f.temp.remove() }
        let report = f.regen()
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        #expect((json?["clusters"] as? [Any])?.count == 3)
        let trace = try JSONSerialization.jsonObject(with: Data(report.traceJSON().utf8)) as? [String: Any]
        let events = (trace?["traceEvents"] as? [[String: Any]] ?? []).filter { $0["ph"] as? String == "X" }
        #expect(events.count == 6)
        #expect(events.allSatisfy { ($0["dur"] as? Int ?? 0) >= 1 && $0["tid"] != nil })
    }

    @Test func theGraphNamesEveryStageAndInput() throws {
        let f = try Fixture(clusters: 1)
        defer { f.temp.remove() }
        let export = GraphExport(fleet: f.fleet, stages: [StripComments(), CountLines()], clusters: ["1"])
        let dot = export.dot()
        #expect(dot.contains("\"1/first\" -> \"1/second\" [label=\"first.txt\"]"))
        #expect(dot.contains("\"talos/clusters/cluster-1/talenv.yaml\" -> \"1/first\""))
        let json = try JSONSerialization.jsonObject(with: Data(export.json().utf8)) as? [String: Any]
        #expect((json?["edges"] as? [Any])?.count == 2)
    }
}
