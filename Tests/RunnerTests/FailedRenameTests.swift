import Foundation
import Testing
import TestSupport
@testable import Runner

/// Issue 19: a rename that fails part way through a cluster's commit (one output made immutable) must not
/// leave the cluster half-updated, must say what happened, and must not stamp the cluster.
@Suite struct FailedRenameTests {
    /// Real system calls, except renames onto a target ending in `failing` (EPERM, as for an immutable
    /// file) and, with `noLinks`, every hard link (a file system without them: no backups).
    final class RefusingFileSystem: FileSystem, Sendable {
        let failing: String
        let noLinks: Bool
        init(failing: String, noLinks: Bool = false) {
            self.failing = failing
            self.noLinks = noLinks
        }
        func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { SystemFileSystem().open(path, flags, mode) }
        func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int { SystemFileSystem().write(descriptor, bytes) }
        func close(_ descriptor: Int32) -> Int32 { SystemFileSystem().close(descriptor) }
        func unlink(_ path: String) -> Int32 { SystemFileSystem().unlink(path) }
        func rename(_ from: String, _ to: String) -> Int32 {
            if to.hasSuffix(failing) { errno = EPERM; return -1 }
            return SystemFileSystem().rename(from, to)
        }
        func link(_ existing: String, _ new: String) -> Int32 {
            if noLinks { errno = EPERM; return -1 }
            return Foundation.link(existing, new)
        }
    }

    typealias Fixture = RegenRunnerTests.Fixture

    func text(_ f: Fixture, _ name: String) throws -> String {
        try String(contentsOfFile: f.path(1, name), encoding: .utf8)
    }

    func leftovers(_ f: Fixture) throws -> [String] {
        let folder = f.temp.url.appendingPathComponent("talos/clusters/cluster-1").path
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder)
        return names.filter { $0.contains(".tmp-") }
    }

    @Test func theRenamedOutputsAreRolledBackAndTheNextRunRedoesTheCluster() throws {
        let f = try Fixture(clusters: 2)
        defer { f.temp.remove() }
        #expect(f.regen().succeeded)
        let oldFirst = try text(f, "first.txt"), oldSecond = try text(f, "out/second.txt")
        // Both outputs change: first.txt is renamed first, then out/second.txt is refused.
        try "# cluster 1\na: 1\nb: 1\nc: 1\n".write(toFile: f.path(1, "talenv.yaml"), atomically: true, encoding: .utf8)
        let failed = f.regen(fileSystem: RefusingFileSystem(failing: "out/second.txt"))
        let cluster = try #require(failed.clusters.first { $0.cluster == "1" })
        #expect(cluster.failed)
        let message = cluster.diagnostics.map(\.description).joined(separator: "\n")
        #expect(message.contains("cannot replace") && message.contains("second.txt") && message.contains("Operation not permitted"))
        #expect(message.contains("no output of this commit was changed"))
        // Rolled back: the cluster is wholly old, and no temp file or backup is left.
        #expect(try text(f, "first.txt") == oldFirst)
        #expect(try text(f, "out/second.txt") == oldSecond)
        #expect(try leftovers(f).isEmpty)
        #expect(failed.clusters.first { $0.cluster == "2" }?.failed == false)
        // No stamp claims the cluster is current: the next run redoes it and both files switch.
        let again = f.regen()
        #expect(again.succeeded)
        #expect(f.statuses(again)["1/first"] != .fresh && f.statuses(again)["1/second"] != .fresh)
        #expect(try text(f, "first.txt") == "a: 1\nb: 1\nc: 1")
        #expect(try text(f, "out/second.txt") == "3\n")
        #expect(try leftovers(f).isEmpty)
    }

    @Test func withoutBackupsTheErrorNamesTheStaleOutputs() throws {
        let f = try Fixture(clusters: 1)
        defer { f.temp.remove() }
        #expect(f.regen().succeeded)
        try "# cluster 1\na: 1\nb: 1\nc: 1\n".write(toFile: f.path(1, "talenv.yaml"), atomically: true, encoding: .utf8)
        let failed = f.regen(fileSystem: RefusingFileSystem(failing: "out/second.txt", noLinks: true))
        let message = failed.clusters.flatMap(\.diagnostics).map(\.description).joined(separator: "\n")
        #expect(!failed.succeeded)
        #expect(message.contains("these outputs are new while the others are old") && message.contains("first.txt"))
        #expect(try leftovers(f).isEmpty)
        let again = f.regen()
        #expect(again.succeeded)
        #expect(try text(f, "out/second.txt") == "3\n")
    }

    @Test func aFirstWriteRolledBackLeavesNoFileBehind() throws {
        let f = try Fixture(clusters: 1)
        defer { f.temp.remove() }
        // Cold: neither output exists; first.txt is renamed, then second is refused: first.txt is removed again.
        let failed = f.regen(fileSystem: RefusingFileSystem(failing: "out/second.txt"))
        #expect(!failed.succeeded)
        #expect(!FileManager.default.fileExists(atPath: f.path(1, "first.txt")))
        #expect(try leftovers(f).isEmpty)
        #expect(f.regen().succeeded)
        #expect(try text(f, "out/second.txt") == "2\n")
    }
}
