import Cache
import Foundation
import Secrets
import Stages
import Testing
import TestSupport
import YAML
@testable import Runner

/// Issue 19: a stage whose secrets input is keyed on the decrypted bundle (`keyBasis: .secretsBundle`)
/// does not run again for a change that leaves the bundle as it was, runs for a changed bundle, and —
/// because the stamp records the file itself — a stamped no-op neither opens the cache nor reads the
/// secrets.
@Suite struct SecretsKeyedStageTests {
    /// Writes how many bytes its secrets file had: a rerun after a bytes-only change would show.
    struct UsesSecrets: Stage {
        var name: String { "secretsuser" }
        var version: String { "1" }
        var upstream: [String] { [] }
        func plan(for cluster: ClusterContext) -> StagePlan {
            StagePlan(inputs: [StageInput(name: "talsecret.sops.yaml", source: .file(path: cluster.secrets.path), keyBasis: .secretsBundle)])
        }
        func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
            StageResult(outputs: [GeneratedOutput(path: "size.txt", contents: Array("\(try inputs.bytes("talsecret.sops.yaml").count)\n".utf8))])
        }
    }

    typealias Fixture = RegenRunnerTests.Fixture
    typealias Opens = ClusterStampTests.Opens

    /// Two plaintext bundles (generating one takes a while), under the plaintext name (a `.sops.` name must hold SOPS metadata).
    static let bundles: [String] = (0..<2).map { _ in
        YAMLEmitter(indent: 4).emit((try! SecretsBundleGenerator.generate()).encoded())
    }

    func fixture() throws -> Fixture {
        let fixture = try Fixture(clusters: 2)
        for id in 1...2 { try Self.bundles[0].write(toFile: fixture.path(id, "talsecret.yaml"), atomically: true, encoding: .utf8) }
        return fixture
    }

    func regen(_ fixture: Fixture, opens: Opens = Opens()) -> RegenReport {
        var options = RegenOptions(jobs: 2, toolVersion: "test", environment: [:])
        options.clock = fixture.clock
        let cache = fixture.cache
        return RegenRunner(fleet: fixture.fleet, cacheFolder: cache.url, stages: [UsesSecrets()], options: options) {
            opens.increment()
            return cache
        }.run(clusters: fixture.fleet.clusterIDs)
    }

    @Test func theSameBundleInOtherBytesKeysTheSameAndAnotherBundleRuns() throws {
        let f = try fixture()
        defer { f.temp.remove() }
        let cold = regen(f)
        #expect(cold.succeeded)
        let size = try String(contentsOfFile: f.path(1, "size.txt"), encoding: .utf8)
        // Other bytes, the same bundle (as a metadata-only SOPS change would be).
        try ("# re-encrypted\n" + Self.bundles[0]).write(toFile: f.path(1, "talsecret.yaml"), atomically: true, encoding: .utf8)
        let same = regen(f)
        #expect(same.succeeded)
        #expect(f.statuses(same)["1/secretsuser"] == .fresh)
        #expect(try String(contentsOfFile: f.path(1, "size.txt"), encoding: .utf8) == size)
        // Another bundle: the stage runs.
        try Self.bundles[1].write(toFile: f.path(1, "talsecret.yaml"), atomically: true, encoding: .utf8)
        let other = regen(f)
        #expect(f.statuses(other)["1/secretsuser"] == .ran)
        #expect(f.statuses(other)["2/secretsuser"] == .fresh)
    }

    @Test func aStampedNoOpReadsNoSecrets() throws {
        let f = try fixture()
        defer { f.temp.remove() }
        #expect(regen(f).succeeded)
        f.clock.advance(by: Double(FileStateRecord.racyWindowNanoseconds) / 1e9 + 0.2)
        #expect(regen(f).succeeded)
        // Stamped: the stamp holds the secrets file's own state and digest, not the bundle's.
        #expect(f.cache.stamps.load().count == 2)
        let opens = Opens()
        let noOp = regen(f, opens: opens)
        #expect(opens.count == 0)
        #expect(noOp.count(.fresh) == 2)
    }
}
