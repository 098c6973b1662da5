import Cache
import Foundation
import Stages
import Testing
import TestSupport
@testable import Runner

/// The no-op shortcut: a cluster whose files are all in their stamped state is fresh without the cache
/// database; anything else — an edited input, a damaged output, another tool version, expiry — takes the
/// ordinary path.
@Suite struct ClusterStampTests {
    typealias Fixture = RegenRunnerTests.Fixture
    let stages: [any Stage] = [RegenRunnerTests.StripComments(), RegenRunnerTests.CountLines()]

    /// Counts how often the runner opened the cache database.
    final class Opens: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }

    func regen(_ fixture: Fixture, opens: Opens, force: Bool = false, toolVersion: String = "test") -> RegenReport {
        var options = RegenOptions(jobs: 2, force: force, toolVersion: toolVersion, environment: [:])
        options.clock = fixture.clock
        let cache = fixture.cache
        return RegenRunner(fleet: fixture.fleet, cacheFolder: cache.url, stages: stages, options: options) {
            opens.increment()
            return cache
        }.run(clusters: fixture.fleet.clusterIDs)
    }

    /// Moves the fixture's clock past the racy-timestamp window: files written until now become trusted.
    func letTheRacyWindowPass(_ fixture: Fixture) {
        fixture.clock.advance(by: Double(FileStateRecord.racyWindowNanoseconds) / 1e9 + 0.2)
    }

    /// A fleet regenerated twice, the second time after the racy-timestamp window, so every file is
    /// trusted and every cluster stamped.
    func stampedFleet() throws -> Fixture {
        let fixture = try Fixture()
        _ = regen(fixture, opens: Opens())
        letTheRacyWindowPass(fixture)
        _ = regen(fixture, opens: Opens())
        #expect(fixture.cache.stamps.load().count == 3)
        return fixture
    }

    @Test func untouchedClustersAreFreshWithoutOpeningTheCache() throws {
        let fixture = try stampedFleet()
        defer { fixture.temp.remove() }
        let viaCache = regen(fixture, opens: Opens(), force: false, toolVersion: "test")
        let opens = Opens()
        let viaStamps = regen(fixture, opens: opens)
        #expect(opens.count == 0)
        #expect(viaStamps.count(.fresh) == 6)
        // The report is the one the cache path gives: same keys, same outputs.
        for (stamped, cached) in zip(viaStamps.clusters, viaCache.clusters) {
            #expect(stamped.stages.map(\.key) == cached.stages.map(\.key))
            #expect(stamped.stages.map(\.outputs) == cached.stages.map(\.outputs))
            #expect(stamped.stages.allSatisfy { $0.key != nil })
        }
    }

    @Test func anyChangedFileSendsItsClusterDownTheOrdinaryPath() throws {
        let fixture = try stampedFleet()
        defer { fixture.temp.remove() }
        try "# cluster 2\na: 2\nb: 20\n".write(toFile: fixture.path(2, "talenv.yaml"), atomically: true, encoding: .utf8)
        try "tampered\n".write(toFile: fixture.path(3, "out/second.txt"), atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: fixture.path(1, "first.txt"))
        let opens = Opens()
        let statuses = fixture.statuses(regen(fixture, opens: opens))
        #expect(opens.count == 1)
        #expect(statuses["2/first"] == .ran)
        #expect(statuses["3/second"] == .restored)
        #expect(statuses["3/first"] == .fresh)
        #expect(statuses["1/first"] == .restored)
        #expect(try String(contentsOfFile: fixture.path(3, "out/second.txt"), encoding: .utf8) == "2\n")
        #expect(FileManager.default.fileExists(atPath: fixture.path(1, "first.txt")))
        // Clusters whose files were just written lose their stamp until the files can be trusted.
        #expect(fixture.cache.stamps.load().count < 3)
    }

    @Test func stampsAreCheckedAgainstToolVersionExpiryAndStages() throws {
        let fixture = try stampedFleet()
        defer { fixture.temp.remove() }
        let contexts = fixture.fleet.clusterIDs.map { (id: $0, folder: fixture.fleet.context($0).folder.path) }
        let loaded = fixture.cache.stamps.load()
        let now = fixture.clock.now
        let layout = fixture.fleet.layout.stampConfiguration
        let current = ClusterStamps(stages: stages, toolVersion: "test", layout: layout)
        #expect(current.fresh(contexts, stamps: loaded, now: now, jobs: 1).count == 3)
        let withOutputs = current.fresh(contexts, stamps: loaded, now: now, jobs: 2)
        let withoutOutputs = current.fresh(contexts, stamps: loaded, now: now, jobs: 2, withOutputs: false)
        #expect(withOutputs.values.allSatisfy { $0.outcomes.allSatisfy { !$0.outputs.isEmpty } })
        #expect(withoutOutputs.values.allSatisfy { $0.outcomes.allSatisfy { $0.outputs.isEmpty && $0.key != nil } })
        #expect(withOutputs.mapValues { $0.outcomes.map(\.key) } == withoutOutputs.mapValues { $0.outcomes.map(\.key) })
        #expect(ClusterStamps(stages: stages, toolVersion: "other", layout: layout).fresh(contexts, stamps: loaded, now: now, jobs: 2).isEmpty)
        #expect(ClusterStamps(stages: Array(stages.prefix(1)), toolVersion: "test", layout: layout)
            .fresh(contexts, stamps: loaded, now: now, jobs: 1).isEmpty)
        // Another output folder (or template) in talos-batch.yaml: no stamp holds.
        #expect(ClusterStamps(stages: stages, toolVersion: "test", layout: layout + "output folder clusterconfig\n")
            .fresh(contexts, stamps: loaded, now: now, jobs: 1).isEmpty)
        let first = try #require(contexts.first?.folder)
        var stamp = try #require(loaded.stamp(forGroup: first))
        stamp.validUntilNanoseconds = ClusterStamps.nanoseconds(now.addingTimeInterval(60))
        try fixture.cache.stamps.update(setting: [stamp], removing: [])
        let expiring = fixture.cache.stamps.load()
        #expect(current.fresh(contexts, stamps: expiring, now: now, jobs: 1).count == 3)
        #expect(current.fresh(contexts, stamps: expiring, now: now.addingTimeInterval(61), jobs: 1).count == 2)
        // --force runs every stage whatever the stamps say.
        let forced = regen(fixture, opens: Opens(), force: true)
        #expect(forced.count(.ran) == 6)
    }

    @Test func aSummaryOnlyReportKeepsStatusesAndKeysButNotOutputs() throws {
        let fixture = try Fixture()
        defer { fixture.temp.remove() }
        var options = RegenOptions(jobs: 2, toolVersion: "test", environment: [:])
        options.reportsStageDetails = false
        let report = RegenRunner(fleet: fixture.fleet, cache: fixture.cache, stages: stages, options: options)
            .run(clusters: fixture.fleet.clusterIDs)
        #expect(report.count(.ran) == 6)
        #expect(report.clusters.allSatisfy { $0.stages.allSatisfy { $0.key != nil && $0.outputs.isEmpty } })
        // The files were written all the same.
        #expect(try String(contentsOfFile: fixture.path(2, "out/second.txt"), encoding: .utf8) == "2\n")
    }

    /// Reads every file of the fleet's shared templates folder, as render does.
    struct ListTemplates: Stage {
        var name: String { "templates" }
        var version: String { "1" }
        var upstream: [String] { [] }
        func plan(for cluster: ClusterContext) -> StagePlan {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: cluster.fleet.templates.path)) ?? []).sorted()
            return StagePlan(inputs: names.map {
                StageInput(name: $0, source: .file(path: cluster.fleet.templates.appendingPathComponent($0).path))
            })
        }
        func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
            StageResult(outputs: [GeneratedOutput(path: "templates.txt", contents: Array(inputs.contents.keys.sorted().joined(separator: ",").utf8))])
        }
    }

    @Test func aFileAddedToASharedInputFolderEndsTheStamp() throws {
        let fixture = try Fixture(clusters: 2)
        defer { fixture.temp.remove() }
        let templates = fixture.fleet.layout.templates
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "a\n".write(to: templates.appendingPathComponent("a.j2"), atomically: true, encoding: .utf8)
        let listing: [any Stage] = [RegenRunnerTests.StripComments(), ListTemplates()]
        func regen(_ opens: Opens) -> RegenReport {
            let cache = fixture.cache
            var options = RegenOptions(jobs: 2, toolVersion: "test", environment: [:])
            options.clock = fixture.clock
            return RegenRunner(fleet: fixture.fleet, cacheFolder: cache.url, stages: listing, options: options) {
                opens.increment()
                return cache
            }.run(clusters: fixture.fleet.clusterIDs)
        }
        _ = regen(Opens())
        letTheRacyWindowPass(fixture)
        _ = regen(Opens())
        let quiet = Opens()
        #expect(regen(quiet).count(.fresh) == 4)
        #expect(quiet.count == 0)
        // No stamped file changed, but the folder's listing did: every cluster takes the ordinary path.
        try "b\n".write(to: templates.appendingPathComponent("b.j2"), atomically: true, encoding: .utf8)
        let opens = Opens()
        let report = regen(opens)
        #expect(opens.count == 1)
        // The stage is keyed by the templates alone, so the second cluster restores what the first ran.
        #expect(report.count(.ran) + report.count(.restored) == 2)
        #expect(report.count(.fresh) == 2)
        for id in [1, 2] {
            #expect(try String(contentsOfFile: fixture.path(id, "templates.txt"), encoding: .utf8) == "a.j2,b.j2")
        }
    }

    @Test func aStampIsOnlyWrittenForFilesThatCanBeTrusted() throws {
        let fixture = try Fixture()
        defer { fixture.temp.remove() }
        // Everything was just written: a change within the timestamp granularity could go unseen.
        _ = regen(fixture, opens: Opens())
        _ = regen(fixture, opens: Opens())
        #expect(fixture.cache.stamps.load().isEmpty)
    }
}
