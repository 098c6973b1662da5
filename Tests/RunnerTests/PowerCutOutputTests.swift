import Cache
import Foundation
import Glibc
import Testing
import TestSupport
@testable import Runner

/// Outputs are renamed into place without being synced first (unless `--fsync`): after a power cut a file
/// can be left empty or cut short under its real name, its times and name intact. The next regen must
/// notice (the cluster's stamp no longer matches the file) and write the file again from the cache.
@Suite struct PowerCutOutputTests {
    typealias Fixture = RegenRunnerTests.Fixture

    /// A fleet regenerated twice, the second time past the racy-timestamp window, so every cluster is stamped.
    func stampedFleet(syncsOutputs: Bool) throws -> Fixture {
        let f = try Fixture()
        #expect(f.regen(syncsOutputs: syncsOutputs).succeeded)
        f.clock.advance(by: Double(FileStateRecord.racyWindowNanoseconds) / 1e9 + 0.2)
        #expect(f.regen(syncsOutputs: syncsOutputs).count(.fresh) == 6)
        #expect(f.cache.stamps.load().count == 3)
        return f
    }

    /// What a power cut can leave of a file whose data never reached the disk: its first `length` bytes
    /// (none, or what was written back so far) under the same name, with its modification time kept.
    func loseData(_ path: String, keeping length: Int) throws {
        var before = stat()
        #expect(stat(path, &before) == 0)
        #expect(truncate(path, off_t(length)) == 0)
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test("an output emptied or cut short behind the tool's back is found by its stamp and rewritten",
          arguments: [false, true])
    func aDamagedOutputIsRewritten(syncsOutputs: Bool) throws {
        let f = try stampedFleet(syncsOutputs: syncsOutputs)
        defer { f.temp.remove() }
        let first = try bytes(f.path(1, "first.txt")), second = try bytes(f.path(2, "out/second.txt"))
        #expect(!first.isEmpty && second.count > 1)
        try loseData(f.path(1, "first.txt"), keeping: 0)
        try loseData(f.path(2, "out/second.txt"), keeping: 1)

        let report = f.regen()
        #expect(report.succeeded)
        let statuses = f.statuses(report)
        #expect(statuses["1/first"] == .restored)
        #expect(statuses["2/second"] == .restored)
        #expect(statuses["1/second"] == .fresh && statuses["2/first"] == .fresh)
        #expect(statuses["3/first"] == .fresh && statuses["3/second"] == .fresh)
        #expect(try bytes(f.path(1, "first.txt")) == first)
        #expect(try bytes(f.path(2, "out/second.txt")) == second)
        #expect(report.count(.ran) == 0)
    }

    @Test func syncedAndUnsyncedRunsWriteTheSameFiles() throws {
        let plain = try Fixture(), synced = try Fixture()
        defer { plain.temp.remove(); synced.temp.remove() }
        #expect(plain.regen().succeeded)
        #expect(synced.regen(syncsOutputs: true).succeeded)
        for fixture in [plain, synced] {
            // A restore (outputs gone, cache kept) takes the same commit path.
            for id in 1...3 { try FileManager.default.removeItem(atPath: fixture.path(id, "out")) }
        }
        #expect(plain.regen().count(.restored) == 3)
        #expect(synced.regen(syncsOutputs: true).count(.restored) == 3)
        for id in 1...3 {
            for name in ["first.txt", "out/second.txt"] {
                #expect(try bytes(plain.path(id, name)) == bytes(synced.path(id, name)))
                let modes = try [plain, synced].map { try FileManager.default.attributesOfItem(atPath: $0.path(id, name))[.posixPermissions] as? Int }
                #expect(modes[0] == modes[1])
            }
            let names = try [plain, synced].map { try FileManager.default.contentsOfDirectory(atPath: $0.path(id, "")).sorted() }
            #expect(names[0] == names[1])
            #expect(!names[0].contains { $0.contains(".tmp-") })
        }
    }
}
